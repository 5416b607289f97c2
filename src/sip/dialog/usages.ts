import type { Logger } from '../../log.js';
import type { SipRequest } from '../message/types.js';
import { allowValue, type SipMethod } from '../methods.js';
import type { Dialog, ServerTransaction } from '../stack-api.js';

/**
 * What a usage says to an in-dialog request: `false`, not mine (the next usage is offered it); `true`,
 * claimed and answered; a promise, claimed and answered when it settles. A rejection is logged and the
 * request, if still unanswered, answered 500.
 */
export type Claim = boolean | Promise<void>;

/** What a usage declares: its place in the order and what it answers. */
export interface UsageDeclaration {
  /** Named in logs. */
  readonly name: string;
  /** Lower is offered first (pjsip's module priority); equal priorities in the order added. */
  readonly priority: number;
  /** The methods it is offered; the dialog's `Allow` lists them. */
  readonly methods: readonly SipMethod[];
  /** Option tags it implements, listed in `Supported` of the dialog's OPTIONS answer. */
  readonly extensions?: readonly string[];
}

/** One use of a dialog (pjsip's dialog usage): the INVITE session, a subscription, INFO digits... */
export interface DialogUsage extends UsageDeclaration {
  onRequest(req: SipRequest, tx: ServerTransaction, dialog: Dialog): Claim;
}

/**
 * What every dialog answers without a usage: ACK (of its 2xx) and CANCEL (of a pending request, answered
 * by the stack), BYE, and OPTIONS, which an unclaimed one gets 200 listing what the usages handle.
 */
export const DIALOG_METHODS = ['ACK', 'CANCEL', 'BYE', 'OPTIONS'] as const satisfies readonly SipMethod[];

/** Every method a dialog with these usages answers, each once. */
export function dialogMethods(usages: readonly UsageDeclaration[]): SipMethod[] {
  const all = new Set<SipMethod>([...DIALOG_METHODS, ...usages.flatMap((u) => u.methods)]);
  return [...all];
}

/** The option tags these usages implement, each once. */
export function dialogExtensions(usages: readonly UsageDeclaration[]): string[] {
  return [...new Set(usages.flatMap((u) => u.extensions ?? []))];
}

/** A dialog's usages in priority order, and the answer to what none of them claims. */
export class DialogUsages {
  private entries: ReadonlyArray<{ readonly usage: DialogUsage }> = [];

  constructor(private readonly log: Logger) {}

  /** Returns the remover; a request being offered when it runs is still offered to the usage. */
  add(usage: DialogUsage): () => void {
    const entry = { usage };
    const at = this.entries.findIndex((e) => e.usage.priority > usage.priority);
    this.entries = at < 0 ? [...this.entries, entry] : [...this.entries.slice(0, at), entry, ...this.entries.slice(at)];
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  /** Offers the request to the usages of its method in order; the first that claims it answers it. */
  serve(req: SipRequest, tx: ServerTransaction, dialog: Dialog): void {
    for (const { usage } of this.entries) {
      if (!usage.methods.some((m) => m === req.method)) continue;
      const claim = usage.onRequest(req, tx, dialog);
      if (claim === false) continue;
      if (claim !== true) claim.catch((err: unknown) => this.failed(usage, req, tx, err));
      return;
    }
    this.unclaimed(req, tx);
  }

  private failed(usage: DialogUsage, req: SipRequest, tx: ServerTransaction, err: unknown): void {
    this.log.error({ err, usage: usage.name, method: req.method, callId: req.callId }, 'dialog usage failed');
    if (!tx.answered) tx.respond(500, 'Server Internal Error');
  }

  private unclaimed(req: SipRequest, tx: ServerTransaction): void {
    const usages = this.entries.map((e) => e.usage);
    const allow: [string, string] = ['Allow', allowValue(dialogMethods(usages))];
    if (req.method !== 'OPTIONS') {
      tx.respond(501, `Not Implemented - ${req.method} is not supported in this dialog`, { headers: [allow] });
      return;
    }
    const extensions = dialogExtensions(usages);
    tx.respond(200, 'OK', { headers: extensions.length === 0 ? [allow] : [allow, ['Supported', extensions.join(', ')]] });
  }
}
