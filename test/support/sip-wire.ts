import assert from 'node:assert/strict';

/** One SIP message as a SIPp phone saw it on the wire (from its `-trace_msg` log). */
export interface WireMessage {
  readonly direction: 'sent' | 'received';
  readonly text: string;
  /** The request method, or null for a response. */
  readonly method: string | null;
  /** The response status, or null for a request. */
  readonly status: number | null;
  readonly callId: string;
  readonly cseq: { readonly seq: number; readonly method: string };
  /** First value of a header (long name, case-insensitive), undefined when absent. */
  header(name: string): string | undefined;
}

const ENTRY = /^-{20,} [^\n]*\n(?:UDP|TCP|TLS|SCTP) message (sent|received)[^\n]*\n\n/gm;

function headerOf(text: string, name: string): string | undefined {
  const head = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const m = new RegExp(`^${name}[ \\t]*:[ \\t]*(.*)$`, 'im').exec(head);
  return m?.[1]?.trim();
}

/** Splits a SIPp `-trace_msg` log into the messages it sent and received, in order. */
export function parseSippTrace(log: string): WireMessage[] {
  const marks = [...log.matchAll(ENTRY)];
  return marks.map((m, i) => {
    const start = (m.index ?? 0) + m[0].length;
    const end = marks[i + 1]?.index ?? log.length;
    const text = log.slice(start, end).replace(/\s+$/, '\r\n');
    const first = text.split(/\r?\n/, 1)[0] ?? '';
    const status = /^SIP\/2\.0 (\d{3})/.exec(first);
    const cseq = /^(\d+)\s+(\S+)/.exec(headerOf(text, 'CSeq') ?? '');
    return {
      direction: m[1] === 'sent' ? 'sent' : 'received',
      text,
      method: status === null ? (first.split(' ')[0] ?? '') : null,
      status: status === null ? null : Number(status[1]),
      callId: headerOf(text, 'Call-ID') ?? '',
      cseq: { seq: Number(cseq?.[1] ?? -1), method: cseq?.[2] ?? '' },
      header: (name: string) => headerOf(text, name),
    };
  });
}

/** For each INVITE the phone answered with a 2xx: how many 2xx it sent (retransmissions too) and how many ACKs came back. */
export function acksPer2xx(messages: readonly WireMessage[]): Array<{ callId: string; seq: number; sent2xx: number; acks: number }> {
  const rows = new Map<string, { callId: string; seq: number; sent2xx: number; acks: number }>();
  const row = (callId: string, seq: number) => {
    const key = `${callId} ${seq}`;
    let r = rows.get(key);
    if (r === undefined) rows.set(key, (r = { callId, seq, sent2xx: 0, acks: 0 }));
    return r;
  };
  for (const m of messages) {
    if (m.direction === 'sent' && m.status !== null && m.status >= 200 && m.status < 300 && m.cseq.method === 'INVITE') row(m.callId, m.cseq.seq).sent2xx++;
    if (m.direction === 'received' && m.method === 'ACK') row(m.callId, m.cseq.seq).acks++;
  }
  return [...rows.values()].filter((r) => r.sent2xx > 0);
}

/**
 * RFC 3261 13.2.2.4: the phone's every 2xx to an INVITE is acknowledged exactly once: one ACK for the
 * 2xx, and one more only for each retransmission of it. `expected` is how many answered INVITEs the
 * phone's log must hold.
 */
export function assertOneAckPer2xx(log: string, expected = 1): void {
  const rows = acksPer2xx(parseSippTrace(log));
  assert.equal(rows.length, expected, `answered INVITEs in the trace: ${JSON.stringify(rows)}`);
  for (const r of rows) assert.equal(r.acks, r.sent2xx, `ACKs for the 2xx to INVITE ${r.callId} CSeq ${r.seq}: ${r.acks} ACK(s) for ${r.sent2xx} 2xx`);
}
