import type { Logger } from '../log.js';
import type { Clock, TimerHandle } from '../clock.js';
import { createRequest } from '../sip/message/builders.js';
import { generateCallId, generateTag } from '../sip/message/ids.js';
import type { SipStack } from '../sip/stack-api.js';
import type { BindingRow, BindingStore } from './binding-store.js';

export interface KeepAliveDeps {
  readonly stack: SipStack;
  readonly bindings: BindingStore;
  readonly clock: Clock;
  readonly wallNow: () => number;
  /** 0 disables the pings. */
  readonly intervalMs: number;
  readonly log: Logger;
}

/**
 * Whether an OPTIONS answer means the phone is gone. No answer (408 after Timer F), a transport failure
 * (503), or an error other than "busy" (486, 600) and "I don't do OPTIONS" (405, 501) removes the binding:
 * a phone that answers at all is alive.
 */
export function meansGone(status: number): boolean {
  return status > 400 && ![405, 486, 501, 600].includes(status);
}

/** Sends OPTIONS to every live binding every `intervalMs` (spec §5.1) and removes those that stopped answering. */
export class KeepAlive {
  private handle: TimerHandle | null = null;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly deps: KeepAliveDeps) {
    this.schedule();
  }

  private schedule(): void {
    if (this.closed || this.deps.intervalMs <= 0) return;
    this.handle = this.deps.clock.setTimeout(() => {
      this.running = this.round().catch((err: unknown) => this.deps.log.error({ err }, 'keep-alive round failed'));
      void this.running.then(() => this.schedule());
    }, this.deps.intervalMs);
  }

  private async round(): Promise<void> {
    const rows = await this.deps.bindings.live(new Date(this.deps.wallNow()).toISOString());
    await Promise.all(rows.map((row) => this.ping(row)));
  }

  private async ping(row: BindingRow): Promise<void> {
    if (this.closed) return;
    const { stack } = this.deps;
    const host = stack.advertisedHost;
    const req = createRequest({
      method: 'OPTIONS',
      uri: row.received_uri,
      headers: [
        ['From', `<sip:dialtone@${host}>;tag=${generateTag()}`],
        ['To', `<${row.aor}>`],
        ['Call-ID', generateCallId(undefined, host)],
        ['CSeq', '1 OPTIONS'],
        ['Contact', stack.contact(row.transport === 'TCP' ? 'TCP' : 'UDP')],
        ['Content-Length', '0'],
      ],
    });
    const res = await stack.sendRequest(req).final;
    if (meansGone(res.status)) {
      await this.deps.bindings.remove(row.sid);
      this.deps.log.info({ login: row.login, contact: row.contact_uri, status: res.status }, 'binding removed: keep-alive failed');
    } else if (res.status >= 200 && res.status < 300) {
      await this.deps.bindings.touch(row.sid, new Date(this.deps.wallNow()).toISOString());
    }
  }

  close(): void {
    this.closed = true;
    if (this.handle !== null) this.deps.clock.clearTimeout(this.handle);
    this.handle = null;
  }
}
