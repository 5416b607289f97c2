import { control } from './control.js';
import { dial } from './dial.js';
import { email } from './email.js';
import { externalService } from './external-service.js';
import { fax } from './fax.js';
import { gather } from './gather.js';
import { hungup } from './hungup.js';
import { log } from './log.js';
import { pause } from './pause.js';
import { play } from './play.js';
import { record } from './record.js';
import { redirect } from './redirect.js';
import { reject } from './reject.js';
import { say } from './say.js';
import { sms } from './sms.js';
import type { StepKind } from './types.js';
import { ussdCollect, ussdLanguage, ussdSay } from './ussd.js';

/** Every step kind, by the `kind` stored in the project state (validation, rendering and the docs read it). */
export const STEP_KINDS: Readonly<Record<string, StepKind>> = Object.fromEntries(
  [say, play, gather, dial, record, redirect, hungup, reject, pause, sms, email, fax, externalService, control, log, ussdSay, ussdCollect, ussdLanguage].map((k) => [k.kind, k]),
);

export function stepKind(kind: string): StepKind | undefined {
  return Object.hasOwn(STEP_KINDS, kind) ? STEP_KINDS[kind] : undefined;
}

export type { StepKind } from './types.js';
