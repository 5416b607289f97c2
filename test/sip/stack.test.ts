import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { pino } from 'pino';
import { buildConfig } from '../../src/config.js';
import { createSipStack, type Dialog, type SipStack } from '../../src/sip/stack.js';
import { createRequest, generateCallId, generateTag, type SipRequest } from '../../src/sip/message/index.js';

const log = pino({ level: 'silent' });
/** Short timers so transactions end within a second; the ratios between them stay those of RFC 3261. */
const FAST = { t1: 10, t2: 40, t4: 50 };

function stack(extra: Record<string, string> = {}): Promise<SipStack> {
  const config = buildConfig({ SIP_PORT: '0', SIP_BIND: '127.0.0.1', SIP_EXTERNAL_ADDRESS: '127.0.0.1', ...extra });
  return createSipStack({ config, log, timers: FAST });
}

/** A raw UDP peer: sends text, collects whatever comes back. */
class Peer {
  readonly inbox: string[] = [];
  private waiters: Array<() => void> = [];
  private constructor(readonly socket: Socket) {
    socket.on('message', (d: Buffer) => {
      this.inbox.push(d.toString('utf8'));
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async open(): Promise<Peer> {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    return new Peer(s);
  }
  get port(): number {
    return this.socket.address().port;
  }
  send(text: string, port: number): void {
    this.socket.send(text.replace(/\r?\n/g, '\r\n'), port, '127.0.0.1');
  }
  /** Waits for the first message (from `from` on) matching the pattern; returns it and its index. */
  async expect(pattern: RegExp, from = 0, ms = 3000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.inbox.slice(from).find((m) => pattern.test(m));
      if (hit !== undefined) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message matching ${pattern}; got:\n${this.inbox.join('\n---\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
  close(): void {
    this.socket.close();
  }
}

function request(method: string, opts: { port: number; branch?: string; callId?: string; cseq?: number; toTag?: string; extra?: string; body?: string }): string {
  const body = opts.body ?? '';
  return [
    `${method} sip:svc@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${opts.port};branch=${opts.branch ?? 'z9hG4bK' + generateTag()};rport`,
    'Max-Forwards: 70',
    'From: <sip:alice@127.0.0.1>;tag=alice1',
    `To: <sip:svc@127.0.0.1>${opts.toTag ? ';tag=' + opts.toTag : ''}`,
    `Call-ID: ${opts.callId ?? generateCallId()}`,
    `CSeq: ${opts.cseq ?? 1} ${method}`,
    `Contact: <sip:alice@127.0.0.1:${opts.port}>`,
    ...(opts.extra ? [opts.extra] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** The node's answer to OPTIONS and 405: REGISTER, INVITE and what a call leg's dialog answers; no MESSAGE. */
const NODE_ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, REFER, NOTIFY, INFO, UPDATE';

/** Registers what `src/node.ts` registers, with stub handlers. */
function asTheNode(s: SipStack): void {
  s.handle('REGISTER', (_req, tx) => tx.respond(200));
  s.handle('INVITE', (_req, tx) => tx.respond(486, 'Busy Here'), { inDialog: ['ACK', 'CANCEL', 'BYE', 'OPTIONS', 'INVITE', 'UPDATE', 'REFER', 'NOTIFY', 'INFO'] });
}

async function until(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('out-of-dialog OPTIONS gets 200 with Allow (what is registered, no MESSAGE), Accept, Supported; a retransmission gets the same response', async () => {
  const s = await stack();
  const p = await Peer.open();
  asTheNode(s);
  try {
    const msg = request('OPTIONS', { port: p.port, branch: 'z9hG4bKopt1', callId: 'opt@test' });
    p.send(msg, s.udpPort);
    const res = await p.expect(/^SIP\/2\.0 200 OK/);
    assert.match(res, new RegExp(`\r\nAllow: ${NODE_ALLOW}\r\n`));
    assert.match(res, /\r\nAccept: application\/sdp, message\/sipfrag, application\/dtmf-relay\r\n/);
    assert.match(res, /\r\nSupported: norefersub\r\n/);
    const tag = /\r\nTo: <sip:svc@127\.0\.0\.1>;tag=([^\r]+)\r\n/.exec(res)?.[1];
    assert.ok(tag);
    p.send(msg, s.udpPort);
    await p.expect(/^SIP\/2\.0 200 OK/, 1);
    assert.equal(p.inbox[1], res, 'the retransmission is answered with the very same response');
    assert.equal(s.stats().serverTransactions, 1);
    await until('Timer J', () => s.stats().serverTransactions === 0);
  } finally {
    p.close();
    await s.close();
  }
});

test('unknown method → 501, stale BYE → 481, in-dialog request to no dialog → 481, REGISTER without a TU → 405 with Allow, Require: foo → 420', async () => {
  const s = await stack();
  const p = await Peer.open();
  try {
    p.send(request('FROBNICATE', { port: p.port }), s.udpPort);
    const unknown = await p.expect(/CSeq: 1 FROBNICATE/);
    assert.match(unknown, /^SIP\/2\.0 501 Not Implemented/);
    assert.match(unknown, /\r\nAllow: OPTIONS\r\n/, 'nothing registered: the stack answers only OPTIONS');
    p.send(request('BYE', { port: p.port }), s.udpPort);
    assert.match(await p.expect(/CSeq: 1 BYE/), /^SIP\/2\.0 481 Call\/Transaction Does Not Exist/);
    p.send(request('INFO', { port: p.port, toTag: 'nope' }), s.udpPort);
    assert.match(await p.expect(/CSeq: 1 INFO/), /^SIP\/2\.0 481 /);
    p.send(request('REGISTER', { port: p.port }), s.udpPort);
    const reg = await p.expect(/CSeq: 1 REGISTER/);
    assert.match(reg, /^SIP\/2\.0 405 Method Not Allowed/);
    assert.match(reg, /\r\nAllow: OPTIONS\r\n/);
    p.send(request('MESSAGE', { port: p.port, extra: 'Require: foo, timer' }), s.udpPort);
    const ext = await p.expect(/CSeq: 1 MESSAGE/);
    assert.match(ext, /^SIP\/2\.0 420 Bad Extension/);
    assert.match(ext, /\r\nUnsupported: foo, timer\r\n/);
  } finally {
    p.close();
    await s.close();
  }
});

test('dispatch by registration: MESSAGE, SUBSCRIBE and PUBLISH nobody handles get 405 with the exact Allow; a registered method reaches its handler and joins Allow', async () => {
  const s = await stack();
  const p = await Peer.open();
  asTheNode(s);
  try {
    for (const method of ['MESSAGE', 'SUBSCRIBE', 'PUBLISH']) {
      p.send(request(method, { port: p.port, extra: 'Event: presence' }), s.udpPort);
      const res = await p.expect(new RegExp(`CSeq: 1 ${method}`));
      assert.match(res, /^SIP\/2\.0 405 Method Not Allowed\r\n/);
      assert.match(res, new RegExp(`\r\nAllow: ${NODE_ALLOW}\r\n`));
    }
    p.send(request('FROBNICATE', { port: p.port }), s.udpPort);
    assert.match(await p.expect(/CSeq: 1 FROBNICATE/), new RegExp(`^SIP/2\\.0 501 Not Implemented\r\n[\\s\\S]*\r\nAllow: ${NODE_ALLOW}\r\n`));

    const messages: string[] = [];
    s.handle('MESSAGE', (req, tx) => {
      messages.push(req.body.toString('utf8'));
      tx.respond(200);
    });
    p.send(request('MESSAGE', { port: p.port, cseq: 2, body: 'hello' }), s.udpPort);
    assert.match(await p.expect(/CSeq: 2 MESSAGE/), /^SIP\/2\.0 200 OK\r\n/);
    assert.deepEqual(messages, ['hello']);
    p.send(request('OPTIONS', { port: p.port }), s.udpPort);
    assert.match(await p.expect(/CSeq: 1 OPTIONS/), /\r\nAllow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, REFER, NOTIFY, INFO, UPDATE, MESSAGE\r\n/);
    assert.throws(() => s.handle('MESSAGE', () => undefined), /already registered/);
  } finally {
    p.close();
    await s.close();
  }
});

test('a registered OPTIONS handler replaces the default answer', async () => {
  const s = await stack();
  const p = await Peer.open();
  s.handle('OPTIONS', (_req, tx) => tx.respond(200, 'OK', { headers: [['Allow', 'OPTIONS'], ['X-Answered-By', 'handler']] }));
  try {
    p.send(request('OPTIONS', { port: p.port }), s.udpPort);
    const res = await p.expect(/CSeq: 1 OPTIONS/);
    assert.match(res, /\r\nX-Answered-By: handler\r\n/);
    assert.doesNotMatch(res, /\r\nAccept:/);
  } finally {
    p.close();
    await s.close();
  }
});

test('overload: above sipMaxPendingTransactions a new INVITE gets 503 with Retry-After', async () => {
  const s = await stack({ SIP_MAX_PENDING_TRANSACTIONS: '1' });
  const p = await Peer.open();
  s.handle('INVITE', () => undefined);
  try {
    p.send(request('INVITE', { port: p.port, callId: 'first@test' }), s.udpPort);
    assert.match(await p.expect(/Call-ID: first@test/), /^SIP\/2\.0 100 Trying/);
    p.send(request('INVITE', { port: p.port, callId: 'second@test' }), s.udpPort);
    const res = await p.expect(/Call-ID: second@test/);
    assert.match(res, /^SIP\/2\.0 503 Service Unavailable/);
    assert.match(res, /\r\nRetry-After: 5\r\n/);
  } finally {
    p.close();
    await s.close();
  }
});

test('overload counts only unanswered transactions: answered ones waiting out their timers do not count', async () => {
  const s = await stack({ SIP_MAX_PENDING_TRANSACTIONS: '1' });
  const p = await Peer.open();
  s.handle('INVITE', (_req, tx) => tx.respond(486, 'Busy Here'));
  try {
    for (const callId of ['one', 'two', 'three']) {
      p.send(request('INVITE', { port: p.port, callId: `${callId}@test` }), s.udpPort);
      await p.expect(new RegExp(`^SIP/2\\.0 486 Busy Here[\\s\\S]*Call-ID: ${callId}@test`));
    }
    const stats = s.stats();
    assert.equal(stats.unansweredServerTransactions, 0);
    assert.ok(stats.serverTransactions >= 1, 'answered INVITE transactions still wait for their ACK');
  } finally {
    p.close();
    await s.close();
  }
});

test('CANCEL: 200 for the CANCEL, 487 for the INVITE, onCancel fires; the 487 is retransmitted until ACKed', async () => {
  const s = await stack();
  const p = await Peer.open();
  let cancelled = 0;
  s.handle('INVITE', (_req, tx) => tx.onCancel(() => cancelled++));
  try {
    const branch = 'z9hG4bKcancelme';
    p.send(request('INVITE', { port: p.port, branch, callId: 'cx@test' }), s.udpPort);
    await p.expect(/^SIP\/2\.0 100 Trying/);
    p.send(request('CANCEL', { port: p.port, branch, callId: 'cx@test' }), s.udpPort);
    assert.match(await p.expect(/CSeq: 1 CANCEL/), /^SIP\/2\.0 200 OK/);
    const r487 = await p.expect(/^SIP\/2\.0 487 Request Terminated/);
    assert.equal(cancelled, 1);
    const first = p.inbox.indexOf(r487);
    await p.expect(/^SIP\/2\.0 487/, first + 1);
    const toTag = /To: [^\r]*;tag=([^\r;]+)/.exec(r487)?.[1] ?? '';
    p.send(request('ACK', { port: p.port, branch, callId: 'cx@test', toTag }), s.udpPort);
    await until('transactions to end', () => s.stats().serverTransactions === 0);
    p.send(request('CANCEL', { port: p.port, branch: 'z9hG4bKnothing', callId: 'cy@test' }), s.udpPort);
    assert.match(await p.expect(/Call-ID: cy@test/), /^SIP\/2\.0 481 /);
  } finally {
    p.close();
    await s.close();
  }
});

test('UAS: the 2xx is retransmitted until the ACK; in-dialog requests with a lower CSeq get 500; BYE ends the dialog', async () => {
  const s = await stack();
  const p = await Peer.open();
  let dialog: Dialog | null = null;
  let acks = 0;
  s.handle('INVITE', (req, tx) => {
    const res = tx.respond(200, 'OK', { headers: [['Contact', s.contact('UDP')]] });
    dialog = s.createUasDialog(req, tx, res);
    dialog.onAck(() => acks++);
  });
  try {
    p.send(request('INVITE', { port: p.port, callId: 'uas@test', cseq: 5 }), s.udpPort);
    const ok = await p.expect(/^SIP\/2\.0 200 OK/);
    await p.expect(/^SIP\/2\.0 200 OK/, p.inbox.indexOf(ok) + 1);
    const toTag = /To: [^\r]*;tag=([^\r;]+)/.exec(ok)?.[1] ?? '';
    p.send(request('ACK', { port: p.port, callId: 'uas@test', cseq: 5, toTag }), s.udpPort);
    await until('the ACK', () => acks === 1);
    const d = dialog as Dialog | null;
    assert.ok(d);
    assert.equal(d.state, 'confirmed');
    assert.equal(d.remoteTarget.port, p.port);
    const settled = p.inbox.length;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(p.inbox.filter((m, i) => i >= settled && m.startsWith('SIP/2.0 200')).length, 0, 'no 2xx after the ACK');

    p.send(request('INFO', { port: p.port, callId: 'uas@test', cseq: 3, toTag }), s.udpPort);
    assert.match(await p.expect(/CSeq: 3 INFO/), /^SIP\/2\.0 500 /);
    p.send(request('BYE', { port: p.port, callId: 'uas@test', cseq: 6, toTag }), s.udpPort);
    assert.match(await p.expect(/CSeq: 6 BYE/), /^SIP\/2\.0 200 OK/);
    assert.equal(d.state, 'terminated');
    assert.equal(s.stats().dialogs, 0);
  } finally {
    p.close();
    await s.close();
  }
});

for (const transport of ['UDP', 'TCP'] as const) {
  test(`two stacks over ${transport}: INVITE/180/200/ACK, INFO and re-INVITE in dialog, BYE; nothing leaks`, async () => {
    const a = await stack();
    const b = await stack();
    let bDialog: Dialog | null = null;
    const bGot: string[] = [];
    b.handle('INVITE', (req, tx) => {
      tx.respond(180, 'Ringing', { headers: [['Contact', b.contact(transport)]] });
      const res = tx.respond(200, 'OK', { headers: [['Contact', b.contact(transport)], ['Content-Type', 'application/sdp']], body: 'v=0\r\n' });
      bDialog = b.createUasDialog(req, tx, res);
      bDialog.addUsage({
        name: 'test',
        priority: 10,
        methods: ['INFO', 'INVITE'],
        onRequest(r, t) {
          bGot.push(r.method);
          t.respond(200);
          return true;
        },
      });
    });
    try {
      const suffix = transport === 'TCP' ? ';transport=tcp' : '';
      const invite: SipRequest = createRequest({
        method: 'INVITE',
        uri: `sip:bob@127.0.0.1:${b.udpPort}${suffix}`,
        headers: [
          ['From', `<sip:alice@127.0.0.1>;tag=${generateTag()}`],
          ['To', '<sip:bob@127.0.0.1>'],
          ['Call-ID', generateCallId()],
          ['CSeq', '1 INVITE'],
          ['Contact', a.contact(transport)],
        ],
      });
      const tx = a.sendRequest(invite);
      const statuses: number[] = [];
      tx.onResponse((r) => statuses.push(r.status));
      const final = await tx.final;
      assert.equal(final.status, 200);
      assert.deepEqual(statuses.slice(0, 3), [100, 180, 200]);
      assert.equal(final.body.toString(), 'v=0\r\n');
      const aDialog = a.createUacDialog(tx, final);
      aDialog.ack(final.cseq.seq);
      await until('B to see the ACK', () => (bDialog as Dialog | null)?.state === 'confirmed' && b.stats().dialogs === 1);
      assert.equal(aDialog.state, 'confirmed');
      assert.equal(aDialog.id.remoteTag, (bDialog as Dialog | null)?.id.localTag);
      assert.equal(aDialog.remoteTarget.port, b.udpPort);

      const info = await aDialog.sendRequest('INFO', { headers: [['Content-Type', 'application/dtmf-relay']], body: 'Signal=5\r\nDuration=160\r\n' }).final;
      assert.equal(info.status, 200);
      assert.equal(info.cseq.seq, 2);
      const reinvite = aDialog.sendRequest('INVITE');
      const reFinal = await reinvite.final;
      assert.equal(reFinal.status, 200);
      aDialog.ack(reFinal.cseq.seq);
      assert.deepEqual(bGot, ['INFO', 'INVITE']);

      const bTerminated = new Promise<string>((resolve) => (bDialog as Dialog | null)?.onTerminated(resolve));
      const bye = await aDialog.sendRequest('BYE').final;
      assert.equal(bye.status, 200);
      assert.equal(await bTerminated, 'bye-received');
      assert.equal(aDialog.state, 'terminated');
      if (transport === 'TCP') assert.equal(a.stats().tcpConnections, 1, 'one connection carried the whole call');
      await until('all transactions to end', () => {
        const sa = a.stats();
        const sb = b.stats();
        return sa.serverTransactions + sa.clientTransactions + sb.serverTransactions + sb.clientTransactions + sa.dialogs + sb.dialogs === 0;
      });
    } finally {
      await a.close();
      await b.close();
    }
  });
}

test('a client transaction with no answer resolves with a local 408 after 64·T1', async () => {
  const s = await stack();
  const silent = await Peer.open();
  try {
    const req = createRequest({
      method: 'OPTIONS',
      uri: `sip:nobody@127.0.0.1:${silent.port}`,
      headers: [['From', '<sip:n@127.0.0.1>;tag=1'], ['To', '<sip:nobody@127.0.0.1>'], ['Call-ID', generateCallId()], ['CSeq', '1 OPTIONS']],
    });
    const res = await s.sendRequest(req).final;
    assert.equal(res.status, 408);
    assert.ok(silent.inbox.length >= 5, `retransmitted over UDP (${silent.inbox.length} copies)`);
    assert.match(silent.inbox[0] ?? '', /^OPTIONS sip:nobody@127\.0\.0\.1:\d+ SIP\/2\.0\r\nVia: SIP\/2\.0\/UDP 127\.0\.0\.1:\d+;branch=z9hG4bK[^;]+;rport\r\n/);
    assert.equal(s.stats().clientTransactions, 0);
  } finally {
    silent.close();
    await s.close();
  }
});

test('RFC 2543 matching: a request without the z9hG4bK cookie is absorbed when retransmitted, and its ACK finds the INVITE', async () => {
  const s = await stack();
  const p = await Peer.open();
  s.handle('INVITE', (_req, tx) => tx.respond(486, 'Busy Here'));
  try {
    const invite = request('INVITE', { port: p.port, branch: 'old2543', callId: 'old@test' });
    p.send(invite, s.udpPort);
    const busy = await p.expect(/^SIP\/2\.0 486 Busy Here/);
    p.send(invite, s.udpPort);
    await p.expect(/^SIP\/2\.0 486 Busy Here/, p.inbox.indexOf(busy) + 1);
    assert.equal(s.stats().serverTransactions, 1, 'the retransmission matched the same transaction');
    const toTag = /To: [^\r]*;tag=([^\r;]+)/.exec(busy)?.[1] ?? '';
    p.send(request('ACK', { port: p.port, branch: 'old2543', callId: 'old@test', toTag }), s.udpPort);
    await until('the ACK to confirm and Timer I to end the transaction', () => s.stats().serverTransactions === 0);
    const count = p.inbox.length;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(p.inbox.length, count, 'no 486 retransmission after the ACK');
  } finally {
    p.close();
    await s.close();
  }
});
