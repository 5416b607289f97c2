import type { ProjectTemplate } from './template.js';

/** RVD's bundled SMS Echo: answers a message with its own text. */
export const smsEcho: ProjectTemplate = {
  id: 'TLfa6f0582b7b04930a25a5e763d3e3480',
  name: 'SMS Echo',
  description: 'Echoes an SMS message back to its sender',
  tags: ['sms'],
  parameters: [],
  state: {
    header: { projectKind: 'sms', startNodeName: 'start', version: '1.15', owner: null },
    lastStepId: 1,
    lastNodeId: 0,
    nodes: [
      {
        name: 'start',
        label: 'Welcome',
        kind: 'sms',
        steps: [{ kind: 'sms', name: 'step1', label: 'sms', title: 'sms', text: '$core_Body', to: '$core_From', from: '$core_To' }],
      },
    ],
  },
};
