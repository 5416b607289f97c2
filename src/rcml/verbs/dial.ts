import type { DialTarget } from '../call-control.js';
import type { DialNoun, DialVerb } from '../verbs.js';
import { CONTINUE, type VerbContext, type VerbModule } from './context.js';

function absolute(noun: DialNoun, ctx: VerbContext): DialTarget {
  const opt = (u: string | null): string | null => (u === null ? null : ctx.resolve(u));
  if (noun.kind === 'conference') return { ...noun, waitUrl: opt(noun.waitUrl) };
  return { ...noun, url: opt(noun.url), statusCallback: opt(noun.statusCallback) };
}

export const dial: VerbModule<DialVerb> = {
  answersCall: true,
  async run(verb, ctx) {
    const outcome = await ctx.call.dial(
      {
        targets: verb.nouns.map((n) => absolute(n, ctx)),
        timeout: verb.timeout,
        timeLimit: verb.timeLimit,
        callerId: verb.callerId ?? ctx.call.info().from,
        record: verb.record,
        hangupOnStar: verb.hangupOnStar,
      },
      ctx.signal,
    );
    if (verb.action === null) return CONTINUE;
    const url = ctx.resolve(verb.action);
    // Restcomm requests a conference Dial's action with the base parameters only.
    if (verb.nouns.some((n) => n.kind === 'conference')) {
      return { next: 'fetch', url, method: verb.method, parameters: {}, reportIfHungUp: true };
    }
    const parameters: Record<string, string> = {
      // Restcomm reports a dial the caller ended by hanging up as completed.
      DialCallStatus: ctx.signal.aborted ? 'completed' : outcome.status,
      DialCallSid: outcome.dialCallSid ?? 'null',
      DialCallDuration: String(outcome.callDuration),
    };
    if (outcome.ringDuration !== null) parameters.DialRingDuration = String(outcome.ringDuration);
    if (verb.record) {
      parameters.RecordingUrl = outcome.recordingUrl ?? 'null';
      parameters.PublicRecordingUrl = outcome.publicRecordingUrl ?? 'null';
    }
    if (outcome.sip) {
      parameters.DialSipCallId = outcome.sip.callId;
      parameters.DialSipResponseCode = String(outcome.sip.responseCode);
      for (const [name, value] of Object.entries(outcome.sip.headers)) parameters[`DialSipHeader_${name}`] = value;
    }
    return { next: 'fetch', url, method: verb.method, parameters, reportIfHungUp: true };
  },
};
