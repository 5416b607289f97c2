/**
 * The variables the picker offers: RVD's `$core_*` names (request parameters, verb results, the REFER
 * parameters of a transfer) and the ones this project defines (collected input, External Service
 * assignments, Control assignments and captures, application parameters).
 */
const CORE = [
  'CallSid', 'AccountSid', 'From', 'To', 'Body', 'CallStatus', 'ApiVersion', 'Direction', 'CallerName', 'CallTimestamp',
  'ForwardedFrom', 'SmsSid', 'SmsStatus', 'InstanceId', 'ReferTarget', 'Transferor', 'Transferee',
  'Digits', 'SpeechResult', 'DialCallStatus', 'DialCallSid', 'DialCallDuration', 'DialRingDuration',
  'RecordingUrl', 'PublicRecordingUrl', 'RecordingDuration', 'EmailSid', 'EmailStatus',
].map((n) => `core_${n}`);

function* defined(steps) {
  for (const s of steps ?? []) {
    if (s.collectdigits?.collectVariable) yield s.collectdigits.collectVariable;
    if (s.collectspeech?.collectVariable) yield s.collectspeech.collectVariable;
    for (const a of s.assignments ?? []) if (a.destVariable) yield a.destVariable;
    for (const a of s.actions ?? []) {
      if (a.assign?.varName) yield a.assign.varName;
      if (a.capture?.varName) yield a.capture.varName;
    }
    yield* defined(s.steps);
  }
}

/** @returns {string[]} names without the `$` */
export function variablesOf(state, parameters) {
  const own = new Set();
  for (const n of state.nodes) for (const v of defined(n.steps)) own.add(v);
  for (const p of parameters) if (p.name) own.add(p.name);
  return [...[...own].sort(), ...CORE];
}
