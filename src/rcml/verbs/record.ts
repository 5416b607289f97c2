import * as attr from '../spec/attributes.js';
import { verbSpec } from '../spec/types.js';
import type { HttpMethod } from '../verbs.js';
import { CONTINUE, type VerbModule } from './context.js';

export interface RecordVerb {
  readonly verb: 'Record';
  readonly line: number;
  readonly action: string | null;
  readonly method: HttpMethod;
  readonly timeout: number;
  /** Any of these keys stops recording; empty = no key does. */
  readonly finishOnKey: string;
  readonly maxLength: number;
  readonly playBeep: boolean;
}

export const record: VerbModule<RecordVerb> = {
  spec: verbSpec({
    name: 'Record',
    requires: 'call',
    description: 'Records the caller.',
    attributes: {
      action: attr.url({ description: 'requested with the recording; without it the next verb runs' }),
      method: attr.method({ warning: 13610 }),
      timeout: attr.integer({ min: 0, default: 5, warning: 13611, description: 'seconds of silence that end the recording' }),
      finishOnKey: attr.keys({ default: '1234567890*#', empty: '#', invalid: '#', disable: '-1', warning: 13613, description: '`-1` = no key' }),
      maxLength: attr.integer({ min: 1, default: 3600, warning: 13612, description: 'seconds' }),
      playBeep: attr.boolean({ default: true, warning: 13614 }),
    },
    children: { kind: 'none' },
    build: ({ line, attributes }): RecordVerb => ({ verb: 'Record', line, ...attributes }),
  }),
  answersCall: true,
  async run(verb, ctx) {
    const outcome = await ctx.call.record(
      { timeout: verb.timeout, finishOnKey: verb.finishOnKey, maxLength: verb.maxLength, playBeep: verb.playBeep },
      ctx.signal,
    );
    if (verb.action === null) return CONTINUE;
    const parameters: Record<string, string> = {
      RecordingDuration: String(outcome.duration),
      Digits: ctx.signal.aborted ? 'hangup' : outcome.digits,
    };
    if (outcome.recordingUrl !== null) parameters.RecordingUrl = outcome.recordingUrl;
    if (outcome.publicRecordingUrl !== null) parameters.PublicRecordingUrl = outcome.publicRecordingUrl;
    return { next: 'fetch', url: ctx.resolve(verb.action), method: verb.method, parameters, reportIfHungUp: true };
  },
};
