import { PROJECT_VERSION, type ProjectKind, type ProjectState, type Step } from './state.js';

/** RVD's `DEFAULT_WELCOME_MESSAGE`, spelling included. */
export const WELCOME_MESSAGE = 'Welcome to Telestax Restcom Visual Designer Demo';

function welcomeStep(kind: ProjectKind): Step {
  switch (kind) {
    case 'voice':
      return { kind: 'say', name: 'step1', label: 'say', title: 'say', phrase: WELCOME_MESSAGE };
    case 'sms':
      return { kind: 'sms', name: 'step1', label: 'sms', title: 'sms', text: WELCOME_MESSAGE, to: '', from: '' };
    case 'ussd':
      return { kind: 'ussdSay', name: 'step1', label: 'ussdSay', title: 'ussdSay', text: WELCOME_MESSAGE };
  }
}

/** A new project (RVD `ProjectState.createEmpty*`): one `start` module labelled "Welcome" with the welcome step. */
export function emptyProject(kind: ProjectKind, owner: string | null): ProjectState {
  return {
    header: { projectKind: kind, startNodeName: 'start', version: PROJECT_VERSION, owner },
    nodes: [{ name: 'start', label: 'Welcome', kind, steps: [welcomeStep(kind)] }],
    lastStepId: 1,
    lastNodeId: 0,
  };
}
