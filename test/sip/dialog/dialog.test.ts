import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { pino } from 'pino';
import { buildConfig } from '../../../src/config.js';
import { createSipStack, type Dialog, type SipStack } from '../../../src/sip/stack.js';
import { createRequest, generateCallId, parseUri } from '../../../src/sip/message/index.js';
import { dialogRouting } from '../../../src/sip/dialog/routing.js';

const FAST = { t1: 20, t2: 80, t4: 100 };

async function stack(): Promise<SipStack> {
  const config = buildConfig({ SIP_PORT: '0', SIP_BIND: '127.0.0.1', SIP_EXTERNAL_ADDRESS: '127.0.0.1' });
  return createSipStack({ config, log: pino({ level: 'silent' }), timers: FAST });
}

/** A raw UDP peer that records every datagram with its sender. */
class Peer {
  readonly inbox: Array<{ text: string; from: RemoteInfo }> = [];
  private constructor(readonly socket: Socket) {
    socket.on('message', (d: Buffer, from) => this.inbox.push({ text: d.toString('utf8'), from }));
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
    this.socket.send(text, port, '127.0.0.1');
  }
  async expect(pattern: RegExp, from = 0, ms = 3000): Promise<{ text: string; index: number }> {
    const deadline = Date.now() + ms;
    for (;;) {
      const index = this.inbox.findIndex((m, i) => i >= from && pattern.test(m.text));
      const hit = this.inbox[index];
      if (hit) return { text: hit.text, index };
      if (Date.now() > deadline) throw new Error(`no ${pattern}; got:\n${this.inbox.map((m) => m.text).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  close(): void {
    this.socket.close();
  }
}

/** A response to `req` (raw text) echoing its Via/From/Call-ID/CSeq, with our To tag and extra lines. */
function answer(req: string, status: string, toTag: string, extra: string[] = []): string {
  const field = (name: string): string[] => req.split('\r\n').filter((l) => l.toLowerCase().startsWith(name.toLowerCase() + ':'));
  const to = field('To')[0] ?? '';
  return [
    `SIP/2.0 ${status}`,
    ...field('Via'),
    ...field('From'),
    /;tag=/.test(to) ? to : `${to};tag=${toTag}`,
    ...field('Call-ID'),
    ...field('CSeq'),
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

test('dialogRouting: no route set, loose routing, strict routing (RFC 3261 12.2.1.1)', () => {
  const target = parseUri('sip:bob@192.0.2.4:5070');
  const none = dialogRouting(target, []);
  assert.equal(none.requestUri.raw, 'sip:bob@192.0.2.4:5070');
  assert.deepEqual(none.routes, []);
  assert.equal(none.nextHop.host, '192.0.2.4');

  const loose = dialogRouting(target, ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
  assert.equal(loose.requestUri.raw, 'sip:bob@192.0.2.4:5070');
  assert.deepEqual(loose.routes, ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
  assert.equal(loose.nextHop.host, 'p1.example.com');

  const strict = dialogRouting(target, ['<sip:p1.example.com;maddr=x>', '<sip:p2.example.com;lr>']);
  assert.equal(strict.requestUri.raw, 'sip:p1.example.com');
  assert.deepEqual(strict.routes, ['<sip:p2.example.com;lr>', '<sip:bob@192.0.2.4:5070>']);
  assert.equal(strict.nextHop.host, 'p1.example.com');
});

test('UAC dialog: route set from Record-Route reversed, ACK and BYE follow it, a retransmitted 2xx is re-ACKed', async () => {
  const s = await stack();
  const peer = await Peer.open();
  try {
    const invite = createRequest({
      method: 'INVITE',
      uri: `sip:bob@127.0.0.1:${peer.port}`,
      headers: [['From', '<sip:alice@127.0.0.1>;tag=a1'], ['To', '<sip:bob@127.0.0.1>'], ['Call-ID', generateCallId()], ['CSeq', '7 INVITE'], ['Contact', s.contact('UDP')]],
    });
    const tx = s.sendRequest(invite);
    const inv = await peer.expect(/^INVITE /);
    const ok = answer(inv.text, '200 OK', 'b1', [
      `Record-Route: <sip:far.invalid;lr>, <sip:127.0.0.1:${peer.port};lr>`,
      'Contact: <sip:bob@192.0.2.99:5999>',
    ]);
    peer.send(ok, s.udpPort);
    const final = await tx.final;
    assert.equal(final.status, 200);
    const dialog = s.createUacDialog(tx, final);
    assert.deepEqual(dialog.routeSet, [`<sip:127.0.0.1:${peer.port};lr>`, '<sip:far.invalid;lr>']);
    assert.equal(dialog.remoteTarget.raw, 'sip:bob@192.0.2.99:5999');
    assert.deepEqual(dialog.id, { callId: invite.callId, localTag: 'a1', remoteTag: 'b1' });

    dialog.ack(7);
    const ack = await peer.expect(/^ACK /);
    assert.match(ack.text, /^ACK sip:bob@192\.0\.2\.99:5999 SIP\/2\.0\r\n/);
    assert.match(ack.text, new RegExp(`\\r\\nRoute: <sip:127\\.0\\.0\\.1:${peer.port};lr>\\r\\nRoute: <sip:far\\.invalid;lr>\\r\\n`));
    assert.match(ack.text, /\r\nCSeq: 7 ACK\r\n/);
    const inviteBranch = /branch=([^;\r]+)/.exec(inv.text)?.[1];
    assert.notEqual(/branch=([^;\r]+)/.exec(ack.text)?.[1], inviteBranch, 'the ACK for a 2xx is a new transaction');

    peer.send(ok, s.udpPort);
    const again = await peer.expect(/^ACK /, ack.index + 1);
    assert.equal(again.text, ack.text, 'the retransmitted 2xx got the same ACK');

    const byeTx = dialog.sendRequest('BYE');
    const bye = await peer.expect(/^BYE /);
    assert.match(bye.text, /^BYE sip:bob@192\.0\.2\.99:5999 SIP\/2\.0\r\n/);
    assert.match(bye.text, /\r\nCSeq: 8 BYE\r\n/);
    assert.match(bye.text, /\r\nFrom: <sip:alice@127\.0\.0\.1>;tag=a1\r\n/);
    assert.match(bye.text, /\r\nTo: <sip:bob@127\.0\.0\.1>;tag=b1\r\n/);
    assert.equal(dialog.state, 'terminated');
    peer.send(answer(bye.text, '200 OK', 'b1'), s.udpPort);
    assert.equal((await byeTx.final).status, 200);
  } finally {
    peer.close();
    await s.close();
  }
});

test('UAC early dialog from a 180 with a tag ends when the INVITE is rejected; a CANCEL waits for the provisional', async () => {
  const s = await stack();
  const peer = await Peer.open();
  try {
    const invite = createRequest({
      method: 'INVITE',
      uri: `sip:bob@127.0.0.1:${peer.port}`,
      headers: [['From', '<sip:alice@127.0.0.1>;tag=a2'], ['To', '<sip:bob@127.0.0.1>'], ['Call-ID', generateCallId()], ['CSeq', '1 INVITE']],
    });
    const tx = s.sendRequest(invite);
    tx.cancel();
    const inv = await peer.expect(/^INVITE /);
    const ringing = new Promise<Dialog>((resolve) => tx.onResponse((r) => r.status === 180 && resolve(s.createUacDialog(tx, r))));
    peer.send(answer(inv.text, '180 Ringing', 'b2', [`Contact: <sip:bob@127.0.0.1:${peer.port}>`]), s.udpPort);
    const early = await ringing;
    assert.equal(early.state, 'early');
    const cancel = await peer.expect(/^CANCEL /);
    assert.equal(/branch=([^;\r]+)/.exec(cancel.text)?.[1], /branch=([^;\r]+)/.exec(inv.text)?.[1], 'CANCEL reuses the INVITE branch');
    assert.match(cancel.text, /\r\nCSeq: 1 CANCEL\r\n/);
    peer.send(answer(cancel.text, '200 OK', 'b2'), s.udpPort);
    peer.send(answer(inv.text, '487 Request Terminated', 'b2'), s.udpPort);
    assert.equal((await tx.final).status, 487);
    const ack = await peer.expect(/^ACK /);
    assert.match(ack.text, /\r\nTo: <sip:bob@127\.0\.0\.1>;tag=b2\r\n/);
    assert.equal(early.state, 'terminated');
    assert.equal(s.stats().dialogs, 0);
  } finally {
    peer.close();
    await s.close();
  }
});

test('UAS dialog: a re-INVITE with a new Contact refreshes the remote target; our BYE goes there', async () => {
  const s = await stack();
  const peer = await Peer.open();
  const moved = await Peer.open();
  let dialog: Dialog | null = null;
  s.handle('INVITE', (req, tx) => {
    const ok = tx.respond(200, 'OK', { headers: [['Contact', s.contact('UDP')]] });
    dialog = s.createUasDialog(req, tx, ok);
    dialog.addUsage({
      name: 'session',
      priority: 10,
      methods: ['INVITE'],
      onRequest: (_r, t) => {
        t.respond(200, 'OK', { headers: [['Contact', s.contact('UDP')]] });
        return true;
      },
    });
  });
  const base = (method: string, cseq: number, contactPort: number, toTag = ''): string =>
    [
      `${method} sip:svc@127.0.0.1:${s.udpPort} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK${method}${cseq};rport`,
      'Max-Forwards: 70',
      'From: <sip:carol@127.0.0.1>;tag=c1',
      `To: <sip:svc@127.0.0.1>${toTag ? ';tag=' + toTag : ''}`,
      'Call-ID: refresh@test',
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:carol@127.0.0.1:${contactPort}>`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  try {
    peer.send(base('INVITE', 1, peer.port), s.udpPort);
    const ok = await peer.expect(/^SIP\/2\.0 200 OK/);
    const tag = /To: [^\r]*;tag=([^\r;]+)/.exec(ok.text)?.[1] ?? '';
    peer.send(base('ACK', 1, peer.port, tag), s.udpPort);
    peer.send(base('INVITE', 2, moved.port, tag), s.udpPort);
    await peer.expect(/CSeq: 2 INVITE/);
    const d = dialog as Dialog | null;
    assert.ok(d);
    assert.equal(d.remoteTarget.port, moved.port);
    assert.equal(d.remoteSeq, 2);
    d.sendRequest('BYE');
    const bye = await moved.expect(/^BYE /);
    assert.match(bye.text, new RegExp(`^BYE sip:carol@127\\.0\\.0\\.1:${moved.port} SIP/2\\.0\\r\\n`));
    assert.match(bye.text, /\r\nCSeq: 1 BYE\r\n/, 'the UAS starts its own CSeq space');
    assert.match(bye.text, new RegExp(`\\r\\nFrom: <sip:svc@127\\.0\\.0\\.1>;tag=${tag}\\r\\n`));
  } finally {
    peer.close();
    moved.close();
    await s.close();
  }
});

test('UAC dialog created while its 2xx is delivered: one ACK, another only for a retransmitted 2xx; a BYE crossing ours gets 200, then the dialog is gone', async () => {
  const s = await stack();
  const peer = await Peer.open();
  try {
    const invite = createRequest({
      method: 'INVITE',
      uri: `sip:bob@127.0.0.1:${peer.port}`,
      headers: [['From', '<sip:alice@127.0.0.1>;tag=a9'], ['To', '<sip:bob@127.0.0.1>'], ['Call-ID', generateCallId()], ['CSeq', '1 INVITE']],
    });
    const tx = s.sendRequest(invite);
    // As a call leg does it: the dialog is made and ACKed inside the delivery of the 2xx.
    let created = false;
    const made = new Promise<Dialog>((resolve) => tx.onResponse((r) => {
      if (r.status !== 200 || created) return;
      created = true;
      const d = s.createUacDialog(tx, r);
      d.ack(r.cseq.seq);
      resolve(d);
    }));
    const inv = await peer.expect(/^INVITE /);
    const ok = answer(inv.text, '200 OK', 'b9', [`Contact: <sip:bob@127.0.0.1:${peer.port}>`]);
    peer.send(ok, s.udpPort);
    const dialog = await made;
    const ack = await peer.expect(/^ACK /);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(peer.inbox.filter((m) => m.text.startsWith('ACK ')).length, 1, 'one ACK for one 2xx');
    peer.send(ok, s.udpPort);
    await peer.expect(/^ACK /, ack.index + 1);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(peer.inbox.filter((m) => m.text.startsWith('ACK ')).length, 2, 'one more ACK for the retransmitted 2xx');

    const byeTx = dialog.sendRequest('BYE');
    const ours = await peer.expect(/^BYE /);
    assert.equal(dialog.state, 'terminated');
    const crossing = (cseq: number): string => [
      `BYE sip:alice@127.0.0.1:${s.udpPort} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKcross${cseq};rport`,
      'Max-Forwards: 70',
      'From: <sip:bob@127.0.0.1>;tag=b9',
      'To: <sip:alice@127.0.0.1>;tag=a9',
      `Call-ID: ${invite.callId}`,
      `CSeq: ${cseq} BYE`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    peer.send(crossing(1), s.udpPort);
    const reply = await peer.expect(/^SIP\/2\.0 \d{3} [^\r]*\r\n[\s\S]*CSeq: 1 BYE/);
    assert.match(reply.text, /^SIP\/2\.0 200 OK\r\n/, 'the crossing BYE is answered 200, not 481');
    assert.equal(s.stats().dialogs, 1, 'kept while our BYE is unanswered');
    peer.send(answer(ours.text, '200 OK', 'b9'), s.udpPort);
    assert.equal((await byeTx.final).status, 200);
    assert.equal(s.stats().dialogs, 0, 'forgotten once our BYE is answered');
    peer.send(crossing(2), s.udpPort);
    const late = await peer.expect(/^SIP\/2\.0 \d{3} [^\r]*\r\n[\s\S]*CSeq: 2 BYE/);
    assert.match(late.text, /^SIP\/2\.0 481 /);
  } finally {
    peer.close();
    await s.close();
  }
});

test('dialog usages: offered in priority order, only requests of their methods; one that does not claim passes it on; unclaimed OPTIONS get 200 and other methods 501 with the Allow of the usages; a removed usage is no longer offered', async () => {
  const s = await stack();
  const peer = await Peer.open();
  const offered: string[] = [];
  let removeEarly: () => void = () => undefined;
  s.handle('INVITE', (req, tx) => {
    const ok = tx.respond(200, 'OK', { headers: [['Contact', s.contact('UDP')]] });
    const dialog = s.createUasDialog(req, tx, ok);
    // Added before the one with the lower priority number, which is still offered first.
    dialog.addUsage({
      name: 'late',
      priority: 30,
      methods: ['INFO'],
      onRequest: (_r, t) => {
        offered.push('late');
        t.respond(200, 'OK late');
        return true;
      },
    });
    removeEarly = dialog.addUsage({
      name: 'early',
      priority: 10,
      methods: ['INFO', 'NOTIFY'],
      extensions: ['x-early'],
      onRequest: (r, t) => {
        offered.push('early');
        if (r.body.toString('utf8') === 'pass') return false;
        t.respond(200, 'OK early');
        return true;
      },
    });
    dialog.addUsage({
      name: 'later-failing',
      priority: 20,
      methods: ['UPDATE'],
      onRequest: async () => {
        await new Promise((r) => setTimeout(r, 10));
        throw new Error('broken usage');
      },
    });
  });
  let cseq = 0;
  const send = (method: string, toTag: string, body = ''): void => {
    if (method !== 'ACK') cseq++;
    peer.send(
      [
        `${method} sip:svc@127.0.0.1:${s.udpPort} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKusage${method}${cseq};rport`,
        'Max-Forwards: 70',
        'From: <sip:carol@127.0.0.1>;tag=u1',
        `To: <sip:svc@127.0.0.1>${toTag ? ';tag=' + toTag : ''}`,
        'Call-ID: usages@test',
        `CSeq: ${cseq} ${method}`,
        `Contact: <sip:carol@127.0.0.1:${peer.port}>`,
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        body,
      ].join('\r\n'),
      s.udpPort,
    );
  };
  const answered = async (method: string): Promise<string> => (await peer.expect(new RegExp(`^SIP/2\\.0 [2-6][\\s\\S]*CSeq: ${cseq} ${method}\\r\\n`))).text;
  try {
    send('INVITE', '');
    const tag = /To: [^\r]*;tag=([^\r;]+)/.exec(await answered('INVITE'))?.[1] ?? '';
    send('ACK', tag);

    send('INFO', tag, 'claim');
    assert.match(await answered('INFO'), /^SIP\/2\.0 200 OK early\r\n/);
    assert.deepEqual(offered.splice(0), ['early']);
    send('INFO', tag, 'pass');
    assert.match(await answered('INFO'), /^SIP\/2\.0 200 OK late\r\n/);
    assert.deepEqual(offered.splice(0), ['early', 'late']);

    send('OPTIONS', tag);
    const options = await answered('OPTIONS');
    assert.match(options, /^SIP\/2\.0 200 OK\r\n/);
    assert.match(options, /\r\nAllow: ACK, CANCEL, BYE, OPTIONS, NOTIFY, INFO, UPDATE\r\n/);
    assert.match(options, /\r\nSupported: x-early\r\n/);
    send('MESSAGE', tag, 'hello');
    const message = await answered('MESSAGE');
    assert.match(message, /^SIP\/2\.0 501 Not Implemented - MESSAGE is not supported in this dialog\r\n/);
    assert.match(message, /\r\nAllow: ACK, CANCEL, BYE, OPTIONS, NOTIFY, INFO, UPDATE\r\n/);
    send('UPDATE', tag);
    assert.match(await answered('UPDATE'), /^SIP\/2\.0 500 Server Internal Error\r\n/, 'a usage whose promise rejects leaves a 500');
    assert.deepEqual(offered, [], 'requests of other methods are not offered to INFO usages');

    removeEarly();
    removeEarly();
    send('INFO', tag, 'claim');
    assert.match(await answered('INFO'), /^SIP\/2\.0 200 OK late\r\n/);
    assert.deepEqual(offered.splice(0), ['late']);
    send('NOTIFY', tag);
    const notify = await answered('NOTIFY');
    assert.match(notify, /^SIP\/2\.0 501 Not Implemented - NOTIFY is not supported in this dialog\r\n/);
    assert.match(notify, /\r\nAllow: ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE\r\n/);
    assert.doesNotMatch(notify, /\r\nSupported:/);
  } finally {
    peer.close();
    await s.close();
  }
});
