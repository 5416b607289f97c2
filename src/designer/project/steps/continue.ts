import { nonEmpty } from '../json.js';
import type { Step } from '../state.js';
import { FAILURE, StepFailure } from './failure.js';
import type { ActionOutcome, StepRuntime } from './types.js';

/**
 * The `actionhandler` of Dial, Record, Sms, Email and Fax: the verb's result parameters become
 * `core_<name>`, then the module in `field` is rendered. Without one the request fails (as in RVD).
 */
export function continueAfterVerb(step: Step, field: string, results: readonly string[], rt: StepRuntime): ActionOutcome {
  const next = nonEmpty(step, field);
  if (next === undefined) {
    throw new StepFailure(FAILURE.noNextModule, `${step.kind} step ${step.name} has no module to continue with (${field})`);
  }
  for (const name of results) {
    const value = rt.param(name);
    if (value !== undefined) rt.setVariable(`core_${name}`, value, 'request');
  }
  return { kind: 'render', target: next };
}
