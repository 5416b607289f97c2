import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generateTag } from '../../src/sip/message/index.js';
import { AppServer, xml } from '../rcml/app-server.js';
import { RtpPeer } from '../media/rtp-peer.js';
import { body, SipPeer } from './transfer/sip-peer.js';
import { startCallNode, type CallNode } from './harness.js';

let n: CallNode;
let app: AppServer;

before(async () => {
  app = await AppServer.start({ '/hold': xml('<Response><Gather timeout="30" numDigits="4"/></Response>') });
  n = await startCallNode();
  await n.addNumber('+15552001', `${app.base}/hold`);
});

after(async () => {
  await n.stop();
  await app.close();
});

const OPUS_ONLY = (port: number): string => ['v=0', 'o=peer 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 96`, 'a=rtpmap:96 opus/48000/2', 'a=sendrecv', ''].join('\r\n');

/** A request of `peer`'s dialog to +15552001 (the INVITE when `peer.toTag` is still empty). */
function request(peer: SipPeer, method: string, cseq: number, sdp = ''): string {
  return [
    `${method} sip:+15552001@127.0.0.1:${n.node.sipPort} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK${generateTag()};rport`,
    'Max-Forwards: 70',
    `From: <sip:caller@127.0.0.1>;tag=${peer.fromTag}`,
    `To: <sip:+15552001@127.0.0.1>${peer.toTag ? `;tag=${peer.toTag}` : ''}`,
    `Call-ID: ${peer.callId}`,
    `CSeq: ${cseq} ${method}`,
    `Contact: <sip:caller@127.0.0.1:${peer.port}>`,
    ...(sdp ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(sdp)}`,
    '',
    sdp,
  ].join('\r\n');
}

test('an INVITE whose offer the engine refuses is answered 488 with the reason; the call fails and nothing is left', async () => {
  const peer = await SipPeer.open(n.node.sipPort);
  try {
    peer.send(request(peer, 'INVITE', 1, OPUS_ONLY(40_000)));
    const { msg } = await peer.expect(/^SIP\/2\.0 488 /);
    assert.match(msg, /^SIP\/2\.0 488 Not Acceptable Here - no common codec: offered OPUS\/48000/);
    await n.waitIdle();
    const cdrs = await n.calls();
    assert.deepEqual(cdrs.map((c) => [c.direction, c.status]), [['inbound', 'failed']], JSON.stringify(cdrs));
  } finally {
    peer.close();
  }
});

test('a re-INVITE whose offer the engine refuses is answered 488 and the call goes on; a good one is answered 200', async () => {
  const peer = await SipPeer.open(n.node.sipPort);
  const rtp = await RtpPeer.open();
  try {
    peer.send(request(peer, 'INVITE', 1, rtp.offer('0 101')));
    const ok = await peer.expect(/^SIP\/2\.0 200 .*\r\n[\s\S]*CSeq: 1 INVITE/);
    peer.toTag = /^To:.*;tag=([^;\s]+)/im.exec(ok.msg)?.[1] ?? '';
    assert.match(body(ok.msg), /a=sendrecv/);
    peer.send(request(peer, 'ACK', 1));

    peer.send(request(peer, 'INVITE', 2, OPUS_ONLY(rtp.port)));
    const refused = await peer.expect(/^SIP\/2\.0 488 .*\r\n[\s\S]*CSeq: 2 INVITE/);
    assert.match(refused.msg, /^SIP\/2\.0 488 Not Acceptable Here - no common codec/);
    peer.send(request(peer, 'ACK', 2));

    peer.send(request(peer, 'INVITE', 3, rtp.offer('0 101', undefined, 'sendonly')));
    const held = await peer.expect(/^SIP\/2\.0 200 .*\r\n[\s\S]*CSeq: 3 INVITE/);
    assert.match(body(held.msg), /a=recvonly/, 'the hold is answered by the same call');
    peer.send(request(peer, 'ACK', 3));

    peer.send(request(peer, 'BYE', 4));
    await peer.expect(/^SIP\/2\.0 200 .*\r\n[\s\S]*CSeq: 4 BYE/);
    await n.waitIdle();
  } finally {
    peer.close();
    rtp.close();
  }
});
