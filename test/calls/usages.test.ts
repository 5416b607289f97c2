import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { buildConfig } from '../../src/config.js';
import type { Endpoint } from '../../src/media/media-server.js';
import { ADVERTISED, CALL_DIALOG_METHODS, serveInDialog } from '../../src/calls/usages/call-usages.js';
import { createSipStack, type SipStack } from '../../src/sip/stack.js';
import { startEngine, type TestEngine } from '../media/engine.js';
import { SipPeer, body, header } from './transfer/sip-peer.js';

const CALL_ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY, INFO, UPDATE';
const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

let stack: SipStack;
let engine: TestEngine;
/** The endpoint the next call's usages act on; null: a call without media. */
let media: Endpoint | null = null;

before(async () => {
  engine = await startEngine();
  const config = buildConfig({ SIP_PORT: '0', SIP_BIND: '127.0.0.1', SIP_EXTERNAL_ADDRESS: '127.0.0.1' });
  stack = await createSipStack({ config, log: pino({ level: 'silent' }), timers: { t1: 20, t2: 80, t4: 100 } });
  stack.handle(
    'INVITE',
    (req, tx) => {
      const res = tx.respond(200, 'OK', { headers: [['Contact', stack.contact('UDP')], ...ADVERTISED] });
      const endpoint = media;
      serveInDialog(stack.createUasDialog(req, tx, res), { endpoint: () => endpoint, notify: () => false, refer: () => null });
    },
    { inDialog: CALL_DIALOG_METHODS },
  );
});

after(async () => {
  await stack.close();
  await engine.close();
});

/** The final response to the peer's last request (its CSeq). */
async function answer(peer: SipPeer, request: string): Promise<string> {
  const cseq = header(request, 'CSeq') ?? '';
  return (await peer.expect(new RegExp(`^SIP/2\\.0 [2-6]\\d\\d [\\s\\S]*\\r\\nCSeq: ${cseq}\\r\\n`))).msg;
}

async function ask(peer: SipPeer, method: string, extra: string[] = [], content = ''): Promise<string> {
  const request = peer.request(method, extra, content);
  peer.send(request);
  return answer(peer, request);
}

test("a call leg's Allow and Supported come from its usages: no MESSAGE", () => {
  assert.deepEqual(ADVERTISED, [['Allow', CALL_ALLOW], ['Supported', 'norefersub']]);
  assert.deepEqual([...CALL_DIALOG_METHODS].sort(), CALL_ALLOW.split(', ').sort());
});

test('in a call: OPTIONS 200 with the call\'s Allow and Supported; MESSAGE and SUBSCRIBE 501 with that Allow; NOTIFY of no REFER 481; REFER on a call that is not bridged 403', async () => {
  media = null;
  const peer = await SipPeer.open(stack.udpPort);
  try {
    await peer.call();
    const options = await ask(peer, 'OPTIONS');
    assert.match(options, /^SIP\/2\.0 200 OK\r\n/);
    assert.equal(header(options, 'Allow'), CALL_ALLOW);
    assert.equal(header(options, 'Supported'), 'norefersub');
    for (const method of ['MESSAGE', 'SUBSCRIBE']) {
      const res = await ask(peer, method, ['Event: presence']);
      assert.match(res, new RegExp(`^SIP/2\\.0 501 Not Implemented - ${method} is not supported in this dialog\\r\\n`));
      assert.equal(header(res, 'Allow'), CALL_ALLOW);
    }
    assert.match(await ask(peer, 'NOTIFY', ['Event: refer', 'Subscription-State: active']), /^SIP\/2\.0 481 Subscription Does Not Exist\r\n/);
    const refer = await ask(peer, 'REFER', ['Refer-To: <sip:carol@127.0.0.1>']);
    assert.match(refer, /^SIP\/2\.0 403 Forbidden - This call may not be transferred/);
    assert.equal(header(refer, 'Event'), 'refer');
    assert.match(await ask(peer, 'INVITE', ['Content-Type: application/sdp'], SDP), /^SIP\/2\.0 488 Not Acceptable Here - no media on this call\r\n/);
  } finally {
    peer.close();
  }
});

test('in a call with media: a re-INVITE gets the endpoint\'s answer with the call\'s Allow, a bad offer 488, an INFO digit enters the digit stream', async () => {
  const endpoint = await engine.server.allocate({ callId: 'usages-test', tag: 'node' });
  media = endpoint;
  const digits: string[] = [];
  endpoint.onDigit((d) => digits.push(d));
  const peer = await SipPeer.open(stack.udpPort);
  try {
    await peer.call();
    const reinvite = await ask(peer, 'INVITE', ['Content-Type: application/sdp'], SDP);
    assert.match(reinvite, /^SIP\/2\.0 200 OK\r\n/);
    assert.equal(header(reinvite, 'Allow'), CALL_ALLOW);
    assert.equal(header(reinvite, 'Content-Type'), 'application/sdp');
    assert.match(body(reinvite), /^v=0\r\n[\s\S]*m=audio \d+ RTP\/AVP 0/);
    peer.send(peer.request('ACK'));
    assert.match(await ask(peer, 'UPDATE', ['Content-Type: application/sdp'], SDP.replace('RTP/AVP 0', 'RTP/AVP 99').replace('0 PCMU', '99 OPUS')), /^SIP\/2\.0 488 Not Acceptable Here - /);
    assert.match(await ask(peer, 'INFO', ['Content-Type: application/dtmf-relay'], 'Signal=7\r\nDuration=160\r\n'), /^SIP\/2\.0 200 OK\r\n/);
    assert.deepEqual(digits, ['7']);
  } finally {
    peer.close();
    endpoint.close();
  }
});
