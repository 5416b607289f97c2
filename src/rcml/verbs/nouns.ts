import * as attr from '../spec/attributes.js';
import { elementSpec, type ContentSpec, type ElementSpec, type Fail } from '../spec/types.js';
import type { DialEvent, HttpMethod } from '../verbs.js';
import { splitHeaders, type WithHeaders } from './uri-headers.js';

/** The nouns of `<Dial>` (Number, Client, Sip, Conference); `<Refer>` takes a Sip too. */

export const DIAL_EVENTS: readonly DialEvent[] = ['initiated', 'ringing', 'answered', 'completed'];

/** Attributes shared by the Number, Client and Sip nouns of `<Dial>`, in the order they are read. */
const CALLBACKS = {
  statusCallback: attr.url({ description: 'status callback URL for this leg' }),
  statusCallbackEvent: attr.events({
    values: DIAL_EVENTS,
    warning: 13220,
    onlyWith: 'statusCallback',
    description: 'events reported to `statusCallback`, separated by commas and/or spaces; all four when `statusCallback` is set and this is absent',
  }),
  url: attr.url({ description: 'call-screening RCML run on the answered leg before bridging' }),
  method: attr.method({ warning: 13210 }),
  statusCallbackMethod: attr.method({ warning: 13210 }),
};

export interface NounCallbacks {
  /** Call-screening RCML run on the answered leg before bridging (as written; relative to the document). */
  readonly url: string | null;
  readonly method: HttpMethod;
  readonly statusCallback: string | null;
  readonly statusCallbackMethod: HttpMethod;
  /** Empty when no statusCallback is set. */
  readonly statusCallbackEvent: readonly DialEvent[];
}

export interface NumberNoun extends NounCallbacks {
  readonly kind: 'number';
  readonly number: string;
  /** `?H1=v1&H2=v2` after the number: extra SIP headers for the INVITE. */
  readonly headers: Readonly<Record<string, string>>;
  /** DTMF to send once the leg answers (`w` = half-second wait). */
  readonly sendDigits: string | null;
}

export interface ClientNoun extends NounCallbacks {
  readonly kind: 'client';
  readonly login: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface SipNoun extends NounCallbacks {
  readonly kind: 'sip';
  /** The SIP URI without its `?headers` part. */
  readonly uri: string;
  /** URI headers, each name prefixed with `X-` when it was not already. */
  readonly headers: Readonly<Record<string, string>>;
  readonly username: string | null;
  readonly password: string | null;
}

export interface ConferenceNoun {
  readonly kind: 'conference';
  readonly name: string;
  readonly muted: boolean;
  readonly beep: boolean;
  readonly startConferenceOnEnter: boolean;
  readonly endConferenceOnExit: boolean;
  readonly waitUrl: string | null;
  readonly waitMethod: HttpMethod;
  readonly maxParticipants: number;
}

export type DialNoun = NumberNoun | ClientNoun | SipNoun | ConferenceNoun;

/** Text content of a noun that may carry `?H=v&...` headers: `read` checks and cleans the part before them. */
function withHeaders(description: string, prefixX: boolean, read: (value: string, fail: Fail) => string): ContentSpec<WithHeaders> {
  return {
    description,
    parse(text, fail): WithHeaders {
      const { value, headers } = splitHeaders(text, prefixX, fail);
      return { value: read(value, fail), headers };
    },
  };
}

export const numberNoun: ElementSpec<NumberNoun> = elementSpec({
  description: 'A phone number.',
  attributes: { sendDigits: attr.digits({ description: 'DTMF sent once the leg answers (`w` = 0.5 s wait)' }), ...CALLBACKS },
  content: withHeaders('the number (spaces ignored), optionally followed by `?H=v&...` SIP headers', false, (value, fail) => {
    const number = value.replace(/\s+/g, '');
    if (number === '') fail(null, 'the number is empty');
    return number;
  }),
  children: { kind: 'none' },
  build: ({ attributes: a, content }): NumberNoun => ({ kind: 'number', number: content.value, headers: content.headers, ...a }),
});

export const clientNoun: ElementSpec<ClientNoun> = elementSpec({
  description: 'A registered client of the account.',
  attributes: CALLBACKS,
  content: withHeaders('the client login (a `client:` prefix is dropped), optionally followed by `?H=v&...` SIP headers', false, (value, fail) => {
    const login = value.replace(/^client:/i, '').trim();
    if (login === '') fail(null, 'the client name is empty');
    return login;
  }),
  children: { kind: 'ignored' },
  build: ({ attributes: a, content }): ClientNoun => ({ kind: 'client', login: content.value, headers: content.headers, ...a }),
});

export const sipNoun: ElementSpec<SipNoun> = elementSpec({
  description: 'A SIP URI.',
  attributes: { username: attr.string({ description: 'digest user name, if the far end challenges' }), password: attr.string(), ...CALLBACKS },
  content: withHeaders('the SIP URI, optionally followed by `?H=v&...` headers (each sent as `X-H` when not already `X-`)', true, (value, fail) => {
    const uri = value.trim();
    if (!/^sips?:[^\s@]+@[^\s@]+$|^sips?:[^\s@]+$/i.test(uri)) fail(null, `"${uri}" is not a SIP URI`);
    return uri;
  }),
  children: { kind: 'ignored' },
  build: ({ attributes: a, content }): SipNoun => ({ kind: 'sip', uri: content.value, headers: content.headers, ...a }),
});

export const conferenceNoun: ElementSpec<ConferenceNoun> = elementSpec({
  description: 'A conference room, created when the first participant enters.',
  attributes: {
    muted: attr.boolean({ default: false, warning: 13230 }),
    beep: attr.boolean({ default: true, warning: 13230 }),
    startConferenceOnEnter: attr.boolean({ default: true, warning: 13230 }),
    endConferenceOnExit: attr.boolean({ default: false, warning: 13230 }),
    waitUrl: attr.url({ description: 'RCML played to participants while the conference has not started' }),
    waitMethod: attr.method({ warning: 13230 }),
    maxParticipants: attr.integer({ min: 1, default: 40, warning: 13230 }),
  },
  content: {
    description: 'the conference name',
    parse(text, fail): string {
      if (text === '') fail(null, 'the conference name is empty');
      return text;
    },
  },
  children: { kind: 'ignored' },
  build: ({ attributes: a, content }): ConferenceNoun => ({ kind: 'conference', name: content, ...a }),
});
