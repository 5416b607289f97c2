/**
 * Every reference from a step to a module, the arrows of the module graph: Gather and USSD Collect
 * mappings and collect targets, Dial's next module and its targets' callback modules, Record, SMS and
 * Email `next`, Redirect to a module, External Service routes, error and timeout modules, Control's
 * `continueTo`.
 */

/** @typedef {{ from: string, to: string, label: string, step: string }} Reference */

const nonEmpty = (v) => typeof v === 'string' && v !== '';
const items = (v) => (Array.isArray(v) ? v.filter((x) => x !== null && typeof x === 'object') : []);

/** @returns {Array<[target: string, label: string]>} */
function stepTargets(step) {
  const out = [];
  const add = (target, label) => {
    if (nonEmpty(target)) out.push([target, label]);
  };
  switch (step.kind) {
    case 'gather':
    case 'ussdCollect':
      if (step.gatherType === 'collectdigits') {
        add(step.collectdigits?.next, `collected ${step.collectdigits?.collectVariable || 'input'}`);
        add(step.collectspeech?.next, `collected speech ${step.collectspeech?.collectVariable || ''}`.trim());
      } else {
        for (const m of items(step.menu?.mappings)) add(m.next, `key ${m.digits ?? ''}`);
        for (const m of items(step.menu?.speechMappings)) add(m.next, `said ${m.key ?? ''}`);
      }
      break;
    case 'dial':
      add(step.nextModule, 'after the call');
      for (const n of items(step.dialNouns)) {
        add(n.beforeConnectModule, 'before connecting');
        add(n.statusCallbackModule, 'status callback');
        add(n.waitModule, 'while waiting');
      }
      break;
    case 'record':
      add(step.next, 'after recording');
      break;
    case 'sms':
    case 'email':
    case 'fax':
      add(step.next, `after the ${step.kind}`);
      break;
    case 'redirect':
      if (!nonEmpty(step.url)) add(step.next, 'redirect');
      break;
    case 'externalService':
      if (step.doRouting === true) {
        if ((step.nextType ?? 'fixed') === 'fixed') add(step.next, 'service answered');
        if (step.nextType === 'mapped') for (const m of items(step.routeMappings)) add(m.next, `service said ${m.value ?? ''}`);
      }
      add(step.exceptionNext, 'service error');
      add(step.onTimeout, 'service timeout');
      break;
    case 'control':
      for (const a of items(step.actions)) add(a.continueTo?.target, 'condition holds');
      break;
    default:
      break;
  }
  return out;
}

/** @param {{ nodes: Array<{ name: string, steps: object[] }> }} state @returns {Reference[]} */
export function references(state) {
  const out = [];
  for (const node of state.nodes) {
    for (const step of node.steps) {
      for (const [to, label] of stepTargets(step)) out.push({ from: node.name, to, label, step: step.name });
    }
  }
  return out;
}
