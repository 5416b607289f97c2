import { dialClient } from './dial-client.js';
import { referTarget } from './refer-target.js';
import { simpleIvr } from './simple-ivr.js';
import { smsEcho } from './sms-echo.js';
import type { ProjectTemplate } from './template.js';
import { ussdFriendTeller } from './ussd-friend-teller.js';

/** The bundled templates, in the order `GET /templates` lists them. */
export const TEMPLATES: readonly ProjectTemplate[] = [simpleIvr, ussdFriendTeller, smsEcho, dialClient, referTarget];

export function findTemplate(id: string): ProjectTemplate | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
