import type { ProjectTemplate } from './template.js';

/** Dialtone's: a number's app that rings one client, named by the `client` application parameter. */
export const dialClient: ProjectTemplate = {
  id: 'TLd1a1c11e47d64f0b9c7e2a5b8f3d6c01',
  name: 'Dial a client',
  description: 'Rings the client named by the application parameter "client" (the transfer scenario\'s number A dialling Bob)',
  tags: ['voice', 'dial'],
  parameters: [{ name: 'client', value: 'bob', description: 'login of the client to ring' }],
  state: {
    header: { projectKind: 'voice', startNodeName: 'start', version: '1.15', owner: null },
    lastStepId: 1,
    lastNodeId: 0,
    nodes: [
      {
        name: 'start',
        label: 'Dial',
        kind: 'voice',
        steps: [{ kind: 'dial', name: 'step1', label: 'dial', title: 'dial', timeout: 30, dialNouns: [{ dialType: 'client', destination: '$client' }] }],
      },
    ],
  },
};
