import type { ProjectTemplate } from './template.js';

/** RVD's bundled USSD friend teller: collects a name, then says it back. */
export const ussdFriendTeller: ProjectTemplate = {
  id: 'TL4d93e3a918ef4f89bbe5ae524c2400e8',
  name: 'USSD friend teller',
  description: 'Asks for the name of your best friend and tells it back',
  tags: ['ussd'],
  parameters: [],
  state: {
    header: { projectKind: 'ussd', startNodeName: 'start', version: '1.15', owner: null },
    lastStepId: 3,
    lastNodeId: 1,
    nodes: [
      {
        name: 'start',
        label: 'Welcome',
        kind: 'ussd',
        steps: [
          {
            kind: 'ussdCollect',
            name: 'step2',
            label: 'USSD Collect',
            title: 'USSD Collect',
            gatherType: 'collectdigits',
            text: '',
            collectdigits: { next: 'module1', collectVariable: 'friendName', scope: 'application' },
            messages: [{ text: 'Welcome $core_From !' }, { text: 'Please enter the name of your best friend :)' }],
          },
        ],
      },
      {
        name: 'module1',
        label: 'End',
        kind: 'ussd',
        steps: [{ kind: 'ussdSay', name: 'step3', label: 'USSD Message', title: 'USSD Message', text: 'So, $friendName is the friend you love the most!' }],
      },
    ],
  },
};
