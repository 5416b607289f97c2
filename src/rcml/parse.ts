import { AttributeReader, RcmlParseError } from './attributes.js';
import { escapeBareAmpersands, parseXmlTree, XmlSyntaxError, type XmlElement } from './xml-tree.js';
import type {
  ClientNoun,
  ConferenceNoun,
  DialEvent,
  DialNoun,
  DialVerb,
  GatherPrompt,
  GatherVerb,
  NounCallbacks,
  NumberNoun,
  PauseVerb,
  PlayVerb,
  RcmlWarning,
  RecordVerb,
  ReferVerb,
  SayVerb,
  SipNoun,
  Verb,
} from './verbs.js';

export { RcmlParseError };

export interface ParsedRcml {
  readonly verbs: readonly Verb[];
  readonly warnings: readonly RcmlWarning[];
}

/** Names Restcomm recognises as verbs; those Dialtone does not execute are skipped with a warning. */
const UNSUPPORTED_VERBS = new Set(['Enqueue', 'Leave', 'Fax', 'Sms', 'Email', 'Language', 'UssdMessage', 'UssdCollect']);
const WARN_UNSUPPORTED_VERB = 12200;

const DIAL_EVENTS: readonly DialEvent[] = ['initiated', 'ringing', 'answered', 'completed'];
const KEYS = /^[*#0-9]{1,12}$/;
const DIGITS = /^[0-9*#wW]+$/;
const LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

interface Ctx {
  readonly warnings: RcmlWarning[];
}

function text(el: XmlElement): string {
  return el.text.trim();
}

function noChildren(el: XmlElement): void {
  const child = el.children[0];
  if (child) throw new RcmlParseError(child.line, child.column, child.name, null, `<${el.name}> cannot contain <${child.name}>`);
}

/** `value?a=1&b=2` → the value and its decoded query pairs. */
function splitHeaders(el: XmlElement, raw: string, prefixX: boolean): { value: string; headers: Record<string, string> } {
  const q = raw.indexOf('?');
  if (q < 0) return { value: raw, headers: {} };
  const headers: Record<string, string> = {};
  for (const pair of raw.slice(q + 1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq)).trim();
      value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
    } catch {
      throw new RcmlParseError(el.line, el.column, el.name, null, `bad percent-encoding in header "${pair}"`);
    }
    if (!/^[A-Za-z0-9!%*_+`'~.-]+$/.test(name)) {
      throw new RcmlParseError(el.line, el.column, el.name, null, `"${name}" is not a valid SIP header name`);
    }
    headers[prefixX && !/^x-/i.test(name) ? `X-${name}` : name] = value;
  }
  return { value: raw.slice(0, q), headers };
}

function callbacks(a: AttributeReader): NounCallbacks {
  const statusCallback = a.string('statusCallback');
  let statusCallbackEvent: DialEvent[] = [];
  if (statusCallback !== null) {
    const raw = a.raw('statusCallbackEvent');
    if (raw === null || raw === '') statusCallbackEvent = [...DIAL_EVENTS];
    else {
      for (const token of raw.split(/[\s,]+/).filter((t) => t !== '')) {
        const ev = DIAL_EVENTS.find((e) => e === token.toLowerCase());
        if (ev === undefined) a.warn(13220, 'statusCallbackEvent', token, `one of ${DIAL_EVENTS.join(', ')}`);
        else if (!statusCallbackEvent.includes(ev)) statusCallbackEvent.push(ev);
      }
    }
  }
  return {
    url: a.string('url'),
    method: a.method('method', 13210),
    statusCallback,
    statusCallbackMethod: a.method('statusCallbackMethod', 13210),
    statusCallbackEvent,
  };
}

function numberNoun(el: XmlElement, raw: string, a: AttributeReader): NumberNoun {
  const { value, headers } = splitHeaders(el, raw, false);
  const number = value.replace(/\s+/g, '');
  if (number === '') a.fail(null, 'the number is empty');
  const sendDigits = a.string('sendDigits');
  if (sendDigits !== null && !DIGITS.test(sendDigits)) a.fail('sendDigits', `"${sendDigits}" may only contain 0-9, *, # and w`);
  return { kind: 'number', number, headers, sendDigits, ...callbacks(a) };
}

function clientNoun(el: XmlElement, raw: string, a: AttributeReader): ClientNoun {
  const { value, headers } = splitHeaders(el, raw, false);
  const login = value.replace(/^client:/i, '').trim();
  if (login === '') a.fail(null, 'the client name is empty');
  return { kind: 'client', login, headers, ...callbacks(a) };
}

function sipNoun(el: XmlElement, raw: string, a: AttributeReader): SipNoun {
  const { value, headers } = splitHeaders(el, raw, true);
  const uri = value.trim();
  if (!/^sips?:[^\s@]+@[^\s@]+$|^sips?:[^\s@]+$/i.test(uri)) a.fail(null, `"${uri}" is not a SIP URI`);
  return { kind: 'sip', uri, headers, username: a.string('username'), password: a.string('password'), ...callbacks(a) };
}

function conferenceNoun(el: XmlElement, a: AttributeReader): ConferenceNoun {
  const name = text(el);
  if (name === '') a.fail(null, 'the conference name is empty');
  return {
    kind: 'conference',
    name,
    muted: a.boolean('muted', 13230, false),
    beep: a.boolean('beep', 13230, true),
    startConferenceOnEnter: a.boolean('startConferenceOnEnter', 13230, true),
    endConferenceOnExit: a.boolean('endConferenceOnExit', 13230, false),
    waitUrl: a.string('waitUrl'),
    waitMethod: a.method('waitMethod', 13230),
    maxParticipants: a.integer('maxParticipants', 13230, 40, 1),
  };
}

function dialNoun(el: XmlElement, ctx: Ctx): DialNoun {
  const a: AttributeReader = new AttributeReader(el, ctx.warnings);
  switch (el.name) {
    case 'Number':
      noChildren(el);
      return numberNoun(el, text(el), a);
    case 'Client':
      return clientNoun(el, text(el), a);
    case 'Sip':
    case 'Uri':
      return sipNoun(el, text(el), a);
    case 'Conference':
      return conferenceNoun(el, a);
    default:
      throw new RcmlParseError(el.line, el.column, el.name, null, '<Dial> may only contain Number, Client, Sip, Uri or Conference');
  }
}

function dial(el: XmlElement, ctx: Ctx): DialVerb {
  const a: AttributeReader = new AttributeReader(el, ctx.warnings);
  let nouns: DialNoun[] = el.children.map((c) => dialNoun(c, ctx));
  if (nouns.length === 0) {
    const t = text(el);
    if (t === '') a.fail(null, 'nothing to dial: add a Number, Client, Sip or Conference, or text');
    // Restcomm's text shortcut: user@host → Sip, client… → Client, anything else → Number. The noun has
    // no attributes of its own: Dial's belong to Dial.
    const n: AttributeReader = new AttributeReader({ ...el, attributes: {} }, ctx.warnings);
    const shortcut = t.includes('@') ? sipNoun(el, /^sips?:/i.test(t) ? t : `sip:${t}`, n) : /^client/i.test(t) ? clientNoun(el, t, n) : numberNoun(el, t, n);
    nouns = [shortcut];
  }
  return {
    verb: 'Dial',
    line: el.line,
    action: a.string('action'),
    method: a.method('method', 13210),
    timeout: a.integer('timeout', 13212, 30, 1),
    timeLimit: a.integer('timeLimit', 13216, 14400, 1),
    callerId: a.string('callerId'),
    record: a.boolean('record', 13217, false),
    hangupOnStar: a.boolean('hangupOnStar', 13213, false),
    nouns,
  };
}

function play(el: XmlElement, ctx: Ctx): PlayVerb {
  noChildren(el);
  const a: AttributeReader = new AttributeReader(el, ctx.warnings);
  const digits = a.string('digits');
  if (digits !== null && !DIGITS.test(digits)) a.fail('digits', `"${digits}" may only contain 0-9, *, # and w`);
  return { verb: 'Play', line: el.line, url: text(el), loop: a.integer('loop', 13410, 1, 0), digits };
}

function language(a: AttributeReader, code: number, fallback: string | null): string | null {
  const v = a.raw('language');
  if (v === null || v === '') return fallback;
  if (LANGUAGE.test(v)) return v.toLowerCase();
  a.warn(code, 'language', v, 'a language tag such as en or en-gb');
  return fallback;
}

function say(el: XmlElement, ctx: Ctx): SayVerb {
  noChildren(el);
  const a: AttributeReader = new AttributeReader(el, ctx.warnings);
  return {
    verb: 'Say',
    line: el.line,
    text: text(el),
    voice: a.oneOf('voice', 13511, ['man', 'woman'], 'man'),
    language: language(a, 13512, 'en') ?? 'en',
    loop: a.integer('loop', 13510, 1, 0),
  };
}

function pause(el: XmlElement, ctx: Ctx): PauseVerb {
  noChildren(el);
  const a: AttributeReader = new AttributeReader(el, ctx.warnings);
  return { verb: 'Pause', line: el.line, length: a.integer('length', 13910, 1, 0) };
}

function keys(a: AttributeReader, name: string, code: number, absent: string, empty: string): string {
  const v = a.raw(name);
  if (v === null) return absent;
  if (v === '') return empty;
  if (KEYS.test(v)) return v;
  a.warn(code, name, v, 'up to 12 of the keys 0-9, * and #');
  return '#';
}

function gather(el: XmlElement, ctx: Ctx): GatherVerb {
  const a: AttributeReader = new AttributeReader(el, ctx.warnings);
  const prompts: GatherPrompt[] = el.children.map((c) => {
    if (c.name === 'Say') return say(c, ctx);
    if (c.name === 'Play') return play(c, ctx);
    if (c.name === 'Pause') return pause(c, ctx);
    throw new RcmlParseError(c.line, c.column, c.name, null, '<Gather> may only contain Say, Play and Pause');
  });
  const inputRaw = a.raw('input');
  let input: ('dtmf' | 'speech')[] = ['dtmf'];
  if (inputRaw !== null && inputRaw !== '') {
    const tokens = inputRaw.toLowerCase().split(/\s+/);
    if (tokens.every((t) => t === 'dtmf' || t === 'speech')) input = [...new Set(tokens as ('dtmf' | 'speech')[])];
    else a.warn(13322, 'input', inputRaw, 'dtmf, speech or "dtmf speech"');
  }
  const hintsRaw = a.string('hints');
  const hints = hintsRaw === null ? [] : hintsRaw.split(',').map((h) => h.trim()).filter((h) => h !== '');
  if (hints.length > 50) a.fail('hints', `${hints.length} phrases, at most 50 are allowed`);
  const long = hints.find((h) => h.length > 100);
  if (long !== undefined) a.fail('hints', `the phrase "${long.slice(0, 20)}…" is longer than 100 characters`);
  keys(a, 'startInputKey', 13315, '', '');
  return {
    verb: 'Gather',
    line: el.line,
    action: a.string('action'),
    method: a.method('method', 13312),
    timeout: a.integer('timeout', 13313, 5, 1),
    finishOnKey: keys(a, 'finishOnKey', 13310, '#', ''),
    numDigits: a.optionalInteger('numDigits', 13314, 1),
    input,
    language: language(a, 13323, null),
    hints,
    prompts,
  };
}

function record(el: XmlElement, ctx: Ctx): RecordVerb {
  noChildren(el);
  const a: AttributeReader = new AttributeReader(el, ctx.warnings);
  const fk = a.raw('finishOnKey');
  return {
    verb: 'Record',
    line: el.line,
    action: a.string('action'),
    method: a.method('method', 13610),
    timeout: a.integer('timeout', 13611, 5, 0),
    finishOnKey: fk === '-1' ? '' : keys(a, 'finishOnKey', 13613, '1234567890*#', '#'),
    maxLength: a.integer('maxLength', 13612, 3600, 1),
    playBeep: a.boolean('playBeep', 13614, true),
  };
}

function refer(el: XmlElement, ctx: Ctx): ReferVerb {
  const a: AttributeReader = new AttributeReader(el, ctx.warnings);
  const [first, ...rest] = el.children;
  if (!first || first.name !== 'Sip' || rest.length > 0) a.fail(null, '<Refer> must contain exactly one <Sip>');
  const target = sipNoun(first, text(first), new AttributeReader(first, ctx.warnings));
  return { verb: 'Refer', line: el.line, action: a.string('action'), method: a.method('method', 13810), target };
}

function verb(el: XmlElement, ctx: Ctx): Verb | null {
  const a: AttributeReader = new AttributeReader(el, ctx.warnings);
  switch (el.name) {
    case 'Dial':
      return dial(el, ctx);
    case 'Hangup':
      noChildren(el);
      return { verb: 'Hangup', line: el.line };
    case 'Reject':
      noChildren(el);
      // Restcomm: "busy" → 486, anything else → 603; so no warning for other values.
      return { verb: 'Reject', line: el.line, reason: a.raw('reason')?.toLowerCase() === 'busy' ? 'busy' : 'rejected' };
    case 'Redirect':
      noChildren(el);
      return { verb: 'Redirect', line: el.line, url: text(el), method: a.method('method', 13710) };
    case 'Pause':
      return pause(el, ctx);
    case 'Play':
      return play(el, ctx);
    case 'Say':
      return say(el, ctx);
    case 'Gather':
      return gather(el, ctx);
    case 'Record':
      return record(el, ctx);
    case 'Refer':
      return refer(el, ctx);
    default:
      return null;
  }
}

/**
 * Walks the tree in document order as Restcomm does: the root name is not checked, elements that are
 * not verbs are looked into, verbs are not (their children are their nouns or prompts).
 */
function collect(el: XmlElement, ctx: Ctx, out: Verb[]): void {
  for (const child of el.children) {
    const v = verb(child, ctx);
    if (v) out.push(v);
    else if (UNSUPPORTED_VERBS.has(child.name)) {
      ctx.warnings.push({ code: WARN_UNSUPPORTED_VERB, line: child.line, message: `<${child.name}> is not supported in a voice call and was skipped` });
    } else collect(child, ctx, out);
  }
}

/** Parses an RCML document; throws `RcmlParseError` naming line, column, element and attribute. */
export function parseRcml(source: string): ParsedRcml {
  let root: XmlElement;
  try {
    root = parseXmlTree(escapeBareAmpersands(source));
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw new RcmlParseError(err.line, err.column, null, null, `not well-formed XML: ${err.reason}`);
    throw err;
  }
  const ctx: Ctx = { warnings: [] };
  const verbs: Verb[] = [];
  const rootVerb = verb(root, ctx);
  if (rootVerb) verbs.push(rootVerb);
  else collect(root, ctx, verbs);
  return { verbs, warnings: ctx.warnings };
}

/** What an app response means, by Content-Type (spec 1.1). */
export type AppContent =
  | { readonly kind: 'rcml'; readonly verbs: readonly Verb[]; readonly warnings: readonly RcmlWarning[] }
  | { readonly kind: 'play'; readonly url: string }
  | { readonly kind: 'say'; readonly text: string }
  | { readonly kind: 'unsupported'; readonly contentType: string };

/** Classifies a response body; XML bodies are parsed (and may throw `RcmlParseError`). */
export function interpretResponse(contentType: string | null, body: string, url: string): AppContent {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'text/xml' || type === 'application/xml' || type === 'text/html' || type.endsWith('+xml')) {
    return { kind: 'rcml', ...parseRcml(body) };
  }
  if (type.startsWith('audio/')) return { kind: 'play', url };
  if (type === 'text/plain') return { kind: 'say', text: body.trim() };
  return { kind: 'unsupported', contentType: type };
}
