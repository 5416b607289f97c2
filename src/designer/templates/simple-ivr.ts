import type { ProjectTemplate } from './template.js';

/** RVD's bundled `TL1234`: a menu of two choices, each with its own module. */
export const simpleIvr: ProjectTemplate = {
  id: 'TL1234',
  name: 'Simple IVR menu',
  description: 'A voice menu: press 1 or 2 to hear a different message',
  tags: ['voice', 'menu'],
  parameters: [],
  state: {
    header: { projectKind: 'voice', startNodeName: 'start', version: '1.15', owner: null },
    lastStepId: 5,
    lastNodeId: 2,
    nodes: [
      {
        name: 'start',
        label: 'Welcome',
        kind: 'voice',
        steps: [
          {
            kind: 'gather',
            name: 'step1',
            label: 'gather',
            title: 'collect',
            method: 'POST',
            timeout: 5,
            finishOnKey: '',
            numDigits: 1,
            gatherType: 'menu',
            inputType: 'dtmf',
            steps: [{ kind: 'say', name: 'step2', label: 'say', title: 'say', phrase: 'Press 1 for sales, press 2 for support.' }],
            menu: { mappings: [{ digits: '1', next: 'module1' }, { digits: '2', next: 'module2' }], speechMappings: [] },
            invalidMessage: { kind: 'say', name: 'step3', label: 'say', title: 'say', phrase: 'That is not an option.' },
          },
        ],
      },
      {
        name: 'module1',
        label: 'Sales',
        kind: 'voice',
        steps: [{ kind: 'say', name: 'step4', label: 'say', title: 'say', phrase: 'You chose sales. Goodbye.' }],
      },
      {
        name: 'module2',
        label: 'Support',
        kind: 'voice',
        steps: [{ kind: 'say', name: 'step5', label: 'say', title: 'say', phrase: 'You chose support. Goodbye.' }],
      },
    ],
  },
};
