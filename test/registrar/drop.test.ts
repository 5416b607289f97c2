import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../support/clock.js';
import { runSipp } from '../support/sipp.js';
import { startRegistrarNode, type RegistrarNode } from '../support/registrar-node.js';

const FORBIDDEN = fileURLToPath(new URL('./scenarios/register-forbidden.xml', import.meta.url));

/** A bare UDP peer that records every datagram it receives. */
async function udpPeer(): Promise<{ socket: Socket; port: number; received: string[]; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  const received: string[] = [];
  socket.on('message', (data) => received.push(data.toString('utf8')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port, received, close: () => new Promise((r) => socket.close(() => r())) };
}

function register(peerPort: number, nodePort: number, userAgent: string, branch: string): string {
  return [
    `REGISTER sip:127.0.0.1:${nodePort} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${peerPort};branch=z9hG4bK${branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:alice@127.0.0.1>;tag=${branch}`,
    'To: <sip:alice@127.0.0.1>',
    `Call-ID: ${branch}@127.0.0.1`,
    'CSeq: 1 REGISTER',
    `Contact: <sip:alice@127.0.0.1:${peerPort}>`,
    `User-Agent: ${userAgent}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/**
 * An in-dialog request (passes any drop filter) that fails validation (unsupported Require), so the
 * stack answers it statelessly with 420 and without a transaction. UDP on loopback keeps order and a
 * dropped REGISTER would have been refused synchronously, so once this answer is back, silence about the
 * REGISTER sent before it is final.
 */
function probe(peerPort: number, nodePort: number): string {
  return [
    `OPTIONS sip:127.0.0.1:${nodePort} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${peerPort};branch=z9hG4bKprobe;rport`,
    'Max-Forwards: 70',
    'From: <sip:probe@127.0.0.1>;tag=p1',
    'To: <sip:node@127.0.0.1>;tag=p2',
    'Call-ID: probe@127.0.0.1',
    'CSeq: 1 OPTIONS',
    'Require: no-such-extension',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** Sends `message` then the probe; returns what answered `message`. `expected`: wait for that answer too (it may be asynchronous). */
async function sendAndProbe(node: RegistrarNode, message: (peerPort: number) => string, expected?: RegExp): Promise<string[]> {
  const peer = await udpPeer();
  try {
    peer.socket.send(message(peer.port), node.port, '127.0.0.1');
    peer.socket.send(probe(peer.port, node.port), node.port, '127.0.0.1');
    const deadline = Date.now() + 5000;
    const done = (): boolean => peer.received.some((m) => m.startsWith('SIP/2.0 420')) && (expected === undefined || peer.received.some((m) => expected.test(m)));
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(peer.received.some((m) => m.startsWith('SIP/2.0 420 Bad Extension')), 'the probe is answered');
    return peer.received.filter((m) => !m.includes('CSeq: 1 OPTIONS'));
  } finally {
    await peer.close();
  }
}

test('a REGISTER from a scanner gets no answer and leaves no server transaction', async () => {
  const node = await startRegistrarNode(new ManualClock());
  try {
    await node.addClient('alice', '1234');
    const scanner = await sendAndProbe(node, (p) => register(p, node.port, 'friendly-scanner', 'scan1'));
    assert.deepEqual(scanner, []);
    assert.equal(node.stack.stats().serverTransactions, 0);
    const ordinary = await sendAndProbe(node, (p) => register(p, node.port, 'Linphone/5.1', 'ok1'), /^SIP\/2\.0 401/);
    assert.equal(ordinary.length, 1, 'an ordinary REGISTER is still answered');
    assert.match(ordinary[0] ?? '', /^SIP\/2\.0 401 Unauthorized/);
  } finally {
    await node.close();
  }
});

test('a source failing authentication more often than the limit gets silence', async () => {
  const node = await startRegistrarNode(new ManualClock(), { failureLimits: { maxFailures: 2, exempt: () => false } });
  try {
    await node.addClient('alice', '1234');
    for (let i = 0; i < 3; i++) {
      const r = await runSipp({
        scenario: { file: FORBIDDEN }, remote: `127.0.0.1:${node.port}`, service: 'alice', auth: { user: 'alice', password: 'wrong' },
        vars: { expires: '600' }, name: `reg-fail-${i}`, deadlineMs: 15_000,
      });
      assert.equal(r.exitCode, 0, r.errors || r.output);
      assert.match(r.messages, /SIP\/2\.0 403 Forbidden/);
    }
    const blocked = await sendAndProbe(node, (p) => register(p, node.port, 'Linphone/5.1', 'after1'));
    assert.deepEqual(blocked, []);
    assert.deepEqual(await node.registrar.lookup('alice'), []);
  } finally {
    await node.close();
  }
});
