import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { parseSdp } from '../../src/media/sdp.js';
import { SdpNegotiationError } from '../../src/media/media-server.js';
import { rms, toneShare, toneSamples } from '../support/audio.js';
import { startEngine } from './engine.js';
import { RtpPeer, encodeLaw } from './rtp-peer.js';

test('allocate binds an even RTP port with RTCP on the next odd one, and close frees both', async () => {
  const eng = await startEngine();
  try {
    const eps = await Promise.all([1, 2, 3].map(() => eng.allocate()));
    for (const ep of eps) {
      assert.equal(ep.localPort % 2, 0);
      const probe = createSocket('udp4');
      const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
        probe.once('error', resolve);
        probe.bind(ep.localPort + 1, '127.0.0.1', () => resolve(null));
      });
      assert.equal(err?.code, 'EADDRINUSE', 'RTCP port is held');
      probe.close();
    }
    assert.deepEqual({ e: eng.server.stats().endpoints, p: eng.server.stats().portsInUse }, { e: 3, p: 6 });
    await Promise.all(eps.map((ep) => ep.close()));
    assert.deepEqual({ e: eng.server.stats().endpoints, p: eng.server.stats().portsInUse }, { e: 0, p: 0 });
  } finally {
    await eng.close();
  }
});

test('answer advertises the external address and our port; a bad offer rejects with SdpNegotiationError', async () => {
  const eng = await startEngine();
  const peer = await RtpPeer.open();
  try {
    const ep = await eng.allocate();
    const answer = parseSdp(await ep.answer(peer.offer('8 0 101')));
    assert.equal(answer.address, '127.0.0.1');
    assert.equal(answer.media[0]?.port, ep.localPort);
    assert.deepEqual(answer.media[0]?.formats, [8, 101]);
    await assert.rejects(ep.answer(peer.offer('96', ['a=rtpmap:96 opus/48000/2'])), SdpNegotiationError);
    let closes = 0;
    ep.onClose(() => closes++);
    await ep.close();
    await ep.close();
    assert.equal(closes, 1, 'onClose fires once');
    await assert.rejects(ep.answer(peer.offer()), /closed/);
  } finally {
    peer.close();
    await eng.close();
  }
});

test('symmetric RTP latches to the source actually seen, not the SDP address', async () => {
  const eng = await startEngine();
  const sdpPeer = await RtpPeer.open();
  const natted = await RtpPeer.open();
  try {
    const ep = await eng.allocate();
    await ep.answer(sdpPeer.offer('0'));
    natted.target = ep.localPort;
    natted.sendPacket(0, encodeLaw('PCMU', new Int16Array(160)));
    await natted.waitFor(() => ep.stats().latched);
    assert.deepEqual(ep.stats().remote, { address: '127.0.0.1', port: natted.port });
    const pb = ep.play({ file: '/nonexistent' });
    assert.equal(await pb.done, 'failed');
    await ep.playSamples(toneSamples([1000], 400)).done;
    await natted.waitFor(() => natted.received.length >= 15);
    assert.equal(sdpPeer.received.length, 0, 'nothing goes to the SDP address once latched');
    const audio = natted.audio('PCMU', 0);
    assert.ok(toneShare(audio.subarray(0, 1600), 1000) > 0.9);
    assert.ok(rms(audio) > 3000);
  } finally {
    sdpPeer.close();
    natted.close();
    await eng.close();
  }
});

test('hold (sendonly offer) stops our audio; resume sends again', async () => {
  const eng = await startEngine();
  const peer = await RtpPeer.open();
  try {
    const ep = await eng.allocate();
    await ep.answer(peer.offer('0'));
    const held = await ep.update(peer.offer('0', [], 'sendonly'));
    assert.match(held, /a=recvonly/);
    await ep.playSamples(toneSamples([500], 200)).done;
    assert.equal(peer.received.length, 0, 'on hold nothing is sent');
    assert.match(await ep.update(peer.offer('0')), /a=sendrecv/);
    await ep.playSamples(toneSamples([500], 200)).done;
    await peer.waitFor(() => peer.received.length >= 10);
  } finally {
    peer.close();
    await eng.close();
  }
});
