import type { RecordVerb } from '../verbs.js';
import { CONTINUE, type VerbModule } from './context.js';

export const record: VerbModule<RecordVerb> = {
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
