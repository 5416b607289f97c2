import type { DialTarget } from '../call-control.js';
import * as attr from '../spec/attributes.js';
import { text, verbSpec, type ElementSpec } from '../spec/types.js';
import type { HttpMethod } from '../verbs.js';
import { CONTINUE, type VerbContext, type VerbModule } from './context.js';
import { clientNoun, conferenceNoun, numberNoun, sipNoun, type DialNoun } from './nouns.js';

export interface DialVerb {
  readonly verb: 'Dial';
  readonly line: number;
  readonly action: string | null;
  readonly method: HttpMethod;
  readonly timeout: number;
  readonly timeLimit: number;
  readonly callerId: string | null;
  readonly record: boolean;
  readonly hangupOnStar: boolean;
  readonly nouns: readonly DialNoun[];
}

const NOUNS: Readonly<Record<string, ElementSpec<DialNoun>>> = {
  Number: numberNoun,
  Client: clientNoun,
  Sip: sipNoun,
  Uri: sipNoun,
  Conference: conferenceNoun,
};

/** Restcomm's text shortcut: user@host → Sip, client… → Client, anything else → Number. */
function shortcut(t: string): { readonly spec: ElementSpec<DialNoun>; readonly text: string } {
  if (t.includes('@')) return { spec: sipNoun, text: /^sips?:/i.test(t) ? t : `sip:${t}` };
  return { spec: /^client/i.test(t) ? clientNoun : numberNoun, text: t };
}

const spec = verbSpec({
  name: 'Dial',
  requires: 'call',
  description: 'Calls the nouns in parallel and bridges the caller with the first to answer.',
  attributes: {
    action: attr.url({ description: 'requested when the dial ends; without it the next verb runs' }),
    method: attr.method({ warning: 13210 }),
    timeout: attr.integer({ min: 1, default: 30, warning: 13212, description: 'seconds to wait for an answer' }),
    timeLimit: attr.integer({ min: 1, default: 14400, warning: 13216, description: 'maximum call length in seconds' }),
    callerId: attr.string({ description: "the caller's From user when absent" }),
    record: attr.boolean({ default: false, warning: 13217 }),
    hangupOnStar: attr.boolean({ default: false, warning: 13213 }),
  },
  content: text('used when there are no nouns: contains `@` → Sip, starts with `client` → Client, else Number'),
  children: { kind: 'any', elements: NOUNS, error: '<Dial> may only contain Number, Client, Sip, Uri or Conference' },
  build({ element, line, attributes, content, children, fail, read }): DialVerb {
    if (children.length > 0) return { verb: 'Dial', line, ...attributes, nouns: children };
    if (content === '') fail(null, 'nothing to dial: add a Number, Client, Sip or Conference, or text');
    // The shortcut noun has no attributes of its own (Dial's belong to Dial); its errors name <Dial>.
    const noun = shortcut(content);
    return { verb: 'Dial', line, ...attributes, nouns: [read(noun.spec, { ...element, attributes: {}, children: [], text: noun.text })] };
  },
});

function absolute(noun: DialNoun, ctx: VerbContext): DialTarget {
  const opt = (u: string | null): string | null => (u === null ? null : ctx.resolve(u));
  if (noun.kind === 'conference') return { ...noun, waitUrl: opt(noun.waitUrl) };
  return { ...noun, url: opt(noun.url), statusCallback: opt(noun.statusCallback) };
}

export const dial: VerbModule<DialVerb> = {
  spec,
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
