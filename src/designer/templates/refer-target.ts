import type { ProjectTemplate } from './template.js';

/**
 * Dialtone's refer application for a blind transfer: dials `$core_ReferTarget`; when that Dial does not
 * complete, tells the caller and dials the transferor back (`$core_Transferor`).
 */
export const referTarget: ProjectTemplate = {
  id: 'TLa7c3e9d2b5f84e1c9d0b6a4f2e8c1d35',
  name: 'Transfer to the refer target',
  description: 'A Refer URL application: dials the transfer target, and the transferor back when the target does not answer',
  tags: ['voice', 'transfer'],
  parameters: [],
  state: {
    header: { projectKind: 'voice', startNodeName: 'start', version: '1.15', owner: null },
    lastStepId: 5,
    lastNodeId: 2,
    nodes: [
      {
        name: 'start',
        label: 'Dial the target',
        kind: 'voice',
        steps: [
          { kind: 'dial', name: 'step1', label: 'dial', title: 'dial', timeout: 30, nextModule: 'module1', dialNouns: [{ dialType: 'number', destination: '$core_ReferTarget' }] },
        ],
      },
      {
        name: 'module1',
        label: 'After the target',
        kind: 'voice',
        steps: [
          {
            kind: 'control',
            name: 'step2',
            label: 'control',
            title: 'control',
            conditions: [{ name: 'C1', operator: 'equals', comparison: { operand1: '$core_DialCallStatus', operand2: 'completed', type: 'text' } }],
            conditionExpression: 'C1',
            actions: [{ name: 'A1', continueTo: { target: 'module2' } }],
          },
          { kind: 'say', name: 'step3', label: 'say', title: 'say', phrase: 'The transfer failed. Connecting you back.' },
          { kind: 'dial', name: 'step4', label: 'dial', title: 'dial', timeout: 30, dialNouns: [{ dialType: 'client', destination: '$core_Transferor' }] },
        ],
      },
      {
        name: 'module2',
        label: 'Done',
        kind: 'voice',
        steps: [{ kind: 'hungup', name: 'step5', label: 'hang up', title: 'hang up' }],
      },
    ],
  },
};
