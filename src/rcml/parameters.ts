import type { CallInfo } from './call-control.js';

/**
 * The base parameter set of spec 2.2, sent with every request to the app. `extra` (e.g. the REFER
 * parameters of a transfer app) is added to every request of the interpreter that owns it.
 */
export function baseParameters(info: CallInfo, instanceId: string, extra: Readonly<Record<string, string>>): Record<string, string> {
  const params: Record<string, string> = {
    CallSid: info.sid,
    InstanceId: instanceId,
    AccountSid: info.accountSid,
    From: info.from,
    To: info.to,
    CallStatus: info.status,
    ApiVersion: info.apiVersion,
    Direction: info.direction,
    // Restcomm sends the literal string "null" for both when absent; apps test for it.
    CallerName: info.callerName ?? 'null',
    ForwardedFrom: info.forwardedFrom ?? 'null',
    CallTimestamp: info.createdAt.toISOString(),
  };
  for (const [name, value] of Object.entries(info.sipHeaders)) params[`SipHeader_${name}`] = value;
  return { ...params, ...extra };
}
