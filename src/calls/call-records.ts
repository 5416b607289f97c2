import type { Logger } from '../log.js';
import type { CallStatus } from '../rcml/call-control.js';
import type { Store } from '../store/store.js';
import { API_VERSION } from '../store/sid.js';
import { FINAL_STATUSES, type Call } from './call.js';

/**
 * Keeps a call's CDR in step with the Call: inserted when tracking starts, updated on every status
 * change. Writes of one call are chained so they land in order; failures are logged, never thrown
 * into the SIP path.
 */
export class CallRecords {
  private readonly log: Logger;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly instanceId: string,
    log: Logger,
  ) {
    this.log = log.child({ module: 'call-records' });
  }

  track(call: Call): void {
    const now = call.createdAt.toISOString();
    let chain: Promise<void> = this.store.calls.insert({
      sid: call.sid,
      instance_id: this.instanceId,
      parent_call_sid: call.parentCallSid,
      account_sid: call.accountSid,
      sender: call.from,
      recipient: call.to,
      phone_number_sid: call.phoneNumberSid,
      status: call.status,
      start_time: now,
      end_time: null,
      duration: null,
      ring_duration: null,
      price: null,
      price_unit: 'USD',
      direction: call.direction,
      answered_by: null,
      api_version: API_VERSION,
      forwarded_from: call.forwardedFrom,
      caller_name: call.callerName ?? 'Unknown',
      conference_sid: null,
      muted: 0,
      on_hold: 0,
      call_path: null,
      uri: `/${API_VERSION}/Accounts/${call.accountSid}/Calls/${call.sid}`,
      date_created: now,
      date_updated: now,
    });
    this.watch(chain);
    call.onStatus((c, status) => {
      chain = chain.then(() => this.store.calls.update(c.sid, this.patch(c, status)));
      this.watch(chain);
    });
  }

  private patch(call: Call, status: CallStatus) {
    const updated = new Date().toISOString();
    if (!FINAL_STATUSES.has(status)) return { status, date_updated: updated };
    const end = call.endedAt ?? new Date();
    return {
      status,
      end_time: end.toISOString(),
      // Spec 3.5: an inbound CDR's duration covers ringing too; a dial leg's is its talk time.
      duration: call.direction === 'inbound' ? Math.round((end.getTime() - call.createdAt.getTime()) / 1000) : call.talkSeconds(),
      ring_duration: call.ringSeconds(),
      date_updated: updated,
    };
  }

  private watch(p: Promise<void>): void {
    const settled = p.catch((err: unknown) => this.log.error({ err }, 'call record write failed'));
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
  }

  /** Resolves once every write started so far has finished. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
