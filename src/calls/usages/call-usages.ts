import type { Endpoint } from '../../media/media-server.js';
import { dialogExtensions, dialogMethods } from '../../sip/dialog/usages.js';
import { allowValue, type SipMethod } from '../../sip/methods.js';
import type { Dialog } from '../../sip/stack-api.js';
import { INFO_DIGITS, infoDigitsUsage } from './info-digits.js';
import { INVITE_SESSION, inviteSessionUsage } from './invite-session.js';
import { REFER, referUsage, type ReferHooks } from './refer.js';

export type { ReferHandler } from './refer.js';

/** What a confirmed leg lends `serveInDialog`, read per request because a transfer may swap them. */
export interface InDialogHooks extends ReferHooks {
  readonly endpoint: () => Endpoint | null;
}

const CALL_USAGES = [INVITE_SESSION, REFER, INFO_DIGITS];

/** Every method a call leg's dialog answers (`DIALOG_METHODS` and its usages'): the stack's `Allow` lists them. */
export const CALL_DIALOG_METHODS: readonly SipMethod[] = dialogMethods(CALL_USAGES);

/**
 * Methods and extensions a call leg really handles, on every INVITE we send and every 2xx to one:
 * phones show their transfer key only when REFER is allowed.
 */
export const ADVERTISED: ReadonlyArray<readonly [string, string]> = [
  ['Allow', allowValue(CALL_DIALOG_METHODS)],
  ['Supported', dialogExtensions(CALL_USAGES).join(', ')],
];

/**
 * A confirmed leg's dialog usages, the same on both sides of the B2BUA: the INVITE session, REFER and its
 * NOTIFYs, INFO digits. The dialog answers the rest: BYE, OPTIONS (200 with the call's `Allow` and
 * `Supported`), anything else 501.
 */
export function serveInDialog(dialog: Dialog, hooks: InDialogHooks): void {
  dialog.addUsage(inviteSessionUsage(hooks.endpoint, ADVERTISED));
  dialog.addUsage(referUsage(hooks));
  dialog.addUsage(infoDigitsUsage(hooks.endpoint));
}
