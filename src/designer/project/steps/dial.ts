import { bool, int, isRecord, nonEmpty, records, str, type JsonRecord } from '../json.js';
import { continueAfterVerb } from './continue.js';
import { METHOD, flag, integer, list, moduleRef, oneOf, text } from './fields.js';
import { element, type RcmlElement } from './rcml-element.js';
import type { StepKind, StepRuntime, ValidationScope } from './types.js';

const DIAL_TYPES = ['number', 'client', 'conference', 'sipuri'] as const;

/** The Dial action's parameters that become `core_*` before `nextModule` runs. */
export const DIAL_RESULTS = ['DialCallStatus', 'DialCallSid', 'DialCallDuration', 'DialRingDuration', 'PublicRecordingUrl', 'RecordingUrl'] as const;

/** `statusCallback` as given, else the module in `statusCallbackModule` (a controller URL). */
function statusCallback(noun: JsonRecord, rt: StepRuntime): string | undefined {
  const literal = nonEmpty(noun, 'statusCallback');
  if (literal !== undefined) return literal;
  const module = nonEmpty(noun, 'statusCallbackModule');
  return module === undefined ? undefined : rt.targetUrl(module);
}

function beforeConnect(noun: JsonRecord, rt: StepRuntime): string | undefined {
  const module = nonEmpty(noun, 'beforeConnectModule');
  return module === undefined ? undefined : rt.targetUrl(module);
}

function renderNoun(noun: JsonRecord, rt: StepRuntime): RcmlElement | null {
  const destination = rt.expand(str(noun, 'destination')) ?? '';
  switch (str(noun, 'dialType')) {
    case 'number':
      return element('Number', { sendDigits: nonEmpty(noun, 'sendDigits'), url: beforeConnect(noun, rt), statusCallback: statusCallback(noun, rt) }, destination);
    case 'client':
      return element('Client', { url: beforeConnect(noun, rt), statusCallback: statusCallback(noun, rt) }, destination);
    case 'sipuri':
      return element('Sip', { statusCallback: statusCallback(noun, rt) }, destination);
    case 'conference': {
      // RVD joins the context path and "services/apps/" without a slash; the wait URL is made absolute here.
      const waitModule = nonEmpty(noun, 'waitModule');
      const waitUrl = waitModule === undefined ? rt.expand(nonEmpty(noun, 'waitUrl')) : rt.absoluteUrl(rt.targetUrl(waitModule));
      return element('Conference', {
        beep: bool(noun, 'beep'),
        muted: bool(noun, 'muted'),
        endConferenceOnExit: bool(noun, 'endConferenceOnExit'),
        startConferenceOnEnter: bool(noun, 'startConferenceOnEnter'),
        maxParticipants: int(noun, 'maxParticipants'),
        waitUrl,
        waitMethod: nonEmpty(noun, 'waitMethod'),
        statusCallback: statusCallback(noun, rt),
      }, destination);
    }
    default:
      return null;
  }
}

function validateNoun(noun: unknown, at: string, scope: ValidationScope): void {
  if (!isRecord(noun)) {
    scope.error(at, 'Dial step: each target must be an object');
    return;
  }
  const type = str(noun, 'dialType');
  if (type === undefined || !(DIAL_TYPES as readonly string[]).includes(type)) {
    scope.error(`${at}/dialType`, `Dial step: the target type must be one of ${DIAL_TYPES.join(', ')}`);
    return;
  }
  if (nonEmpty(noun, 'destination') === undefined) {
    const what = { number: 'the number to dial', client: 'the client to dial', conference: 'the conference name', sipuri: 'the SIP URI to dial' }[type as (typeof DIAL_TYPES)[number]];
    scope.error(`${at}/destination`, `Dial step: give ${what}`);
  }
  for (const field of ['beforeConnectModule', 'statusCallbackModule', 'waitModule']) scope.module(`${at}/${field}`, noun[field], false);
  const max = noun.maxParticipants;
  if (max !== undefined && max !== null && !(Number.isInteger(max) && (max as number) >= 1)) {
    scope.error(`${at}/maxParticipants`, 'Dial step: maxParticipants must be a whole number of at least 1');
  }
  const waitMethod = noun.waitMethod;
  if (waitMethod !== undefined && waitMethod !== null && waitMethod !== '' && !(METHOD as readonly unknown[]).includes(waitMethod)) {
    scope.error(`${at}/waitMethod`, 'Dial step: waitMethod must be GET or POST');
  }
}

export const dial: StepKind = {
  kind: 'dial',
  title: 'Dial',
  description: 'Calls numbers, clients, SIP URIs or a conference; with `nextModule` the outcome continues there.',
  projects: ['voice'],
  produces:
    '<Dial action method timeout timeLimit callerId record> with <Number sendDigits url statusCallback>, <Client url statusCallback>, ' +
    '<Sip statusCallback>, <Conference beep muted endConferenceOnExit startConferenceOnEnter maxParticipants waitUrl waitMethod>; action and method only with `nextModule`',
  fields: {
    dialNouns: list({ required: true, expands: true, description: '`[{dialType: number|client|conference|sipuri, destination$, ...}]`' }),
    method: oneOf(METHOD),
    timeout: integer({ min: 1, description: 'seconds to ring' }),
    timeLimit: integer({ min: 1, description: 'seconds the call may last' }),
    callerId: text({ expands: true }),
    record: flag(),
    nextModule: moduleRef({ description: 'runs with `$core_DialCallStatus` and friends when the dial ends' }),
  },
  validate(step, scope) {
    const nouns = step.dialNouns;
    if (Array.isArray(nouns) && nouns.length === 0) {
      scope.error('dialNouns', 'Dial step has no target: add a number, client, SIP URI or conference');
    }
    if (Array.isArray(nouns)) nouns.forEach((noun, i) => validateNoun(noun, `dialNouns/${i}`, scope));
  },
  render(step, rt) {
    const next = nonEmpty(step, 'nextModule');
    const nouns = records(step, 'dialNouns').map((n) => renderNoun(n, rt)).filter((n): n is RcmlElement => n !== null);
    return element('Dial', {
      action: next === undefined ? undefined : rt.actionUrl(step.name, 'actionhandler'),
      method: next === undefined ? undefined : nonEmpty(step, 'method'),
      timeout: int(step, 'timeout'),
      timeLimit: int(step, 'timeLimit'),
      callerId: rt.expand(nonEmpty(step, 'callerId')),
      record: bool(step, 'record'),
    }, nouns);
  },
  handleAction: (step, _action, rt) => continueAfterVerb(step, 'nextModule', DIAL_RESULTS, rt),
};
