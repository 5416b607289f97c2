import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import type { EmbeddedEndpoint } from '../../src/media/endpoint.js';
import type { Endpoint } from '../../src/media/media-server.js';
import { ManualClock } from '../support/clock.js';
import { startEngine } from './engine.js';
import { RtpPeer } from './rtp-peer.js';

const PCMU_SILENCE = Buffer.alloc(160, 0xff);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Counts the inactivity reports of an endpoint. */
function watch(ep: Endpoint): { count: number } {
  const seen = { count: 0 };
  ep.onInactive(() => seen.count++);
  return seen;
}

test('inactivity is reported only for a sendrecv peer that stopped sending; hold, RTP, RTCP and a missing description keep it quiet', async () => {
  const eng = await startEngine({ rtpTimeout: 2 });
  const peers = await Promise.all([1, 2, 3, 4, 5].map(() => RtpPeer.open()));
  const [stops, sendonly, inactive, streams, rtcpOnly] = peers as [RtpPeer, RtpPeer, RtpPeer, RtpPeer, RtpPeer];
  const rtcp = createSocket('udp4');
  await new Promise<void>((resolve) => rtcp.bind(0, '127.0.0.1', resolve));
  try {
    const eps = await Promise.all([1, 2, 3, 4, 5, 6].map(() => eng.allocate()));
    const [eStops, eSendonly, eInactive, eStreams, eRtcp] = eps as [EmbeddedEndpoint, EmbeddedEndpoint, EmbeddedEndpoint, EmbeddedEndpoint, EmbeddedEndpoint];
    await eStops.answer(stops.offer());
    await eSendonly.answer(sendonly.offer(undefined, undefined, 'sendonly'));
    await eInactive.answer(inactive.offer(undefined, undefined, 'inactive'));
    await eStreams.answer(streams.offer());
    await eRtcp.answer(rtcpOnly.offer());
    const seen = eps.map(watch);
    const [sStops, sSendonly, sInactive, sStreams, sRtcp, sUnanswered] = seen as [{ count: number }, { count: number }, { count: number }, { count: number }, { count: number }, { count: number }];
    for (const [peer, ep] of [[stops, eStops], [streams, eStreams], [sendonly, eSendonly]] as const) peer.target = ep.localPort;

    for (let i = 0; i < 5; i++) {
      stops.sendPacket(0, PCMU_SILENCE);
      await sleep(20);
    }
    const lastPacket = Date.now();
    assert.ok(eStops.stats().packetsReceived >= 1, 'the engine got the first packets');
    // Keep the other peers alive (RTP, RTCP, music on hold) for 3 s, beyond the 2 s timeout. The "not yet"
    // check is made against the measured silence, not a loop count, so a slow machine cannot fake it.
    while (Date.now() - lastPacket < 3000) {
      streams.sendPacket(0, PCMU_SILENCE);
      rtcp.send(Buffer.from([0x81, 200, 0, 1, 0, 0, 0, 1]), eRtcp.localPort + 1, '127.0.0.1');
      sendonly.sendPacket(0, PCMU_SILENCE);
      if (Date.now() - lastPacket < 1500) assert.equal(sStops.count, 0, 'not reported before the timeout has passed');
      await sleep(50);
    }

    assert.equal(sStops.count, 1, 'a sendrecv peer silent for longer than the timeout is reported once');
    assert.equal(sStreams.count, 0, 'RTP every 20 ms keeps the endpoint alive');
    assert.equal(sRtcp.count, 0, 'RTCP alone keeps the endpoint alive');
    assert.equal(sSendonly.count, 0, 'a peer holding us with a=sendonly is not timed');
    assert.equal(sInactive.count, 0, 'a peer on a=inactive is not timed');
    assert.equal(sUnanswered.count, 0, 'no timer before a remote description');

    // The held peer resumes and stays silent: now it is timed, from the resume.
    await eSendonly.update(sendonly.offer());
    const resumed = Date.now();
    await sleep(500);
    if (Date.now() - resumed < 1500) assert.equal(sSendonly.count, 0, 'resumed well under the timeout ago');
    const deadline = Date.now() + 5000;
    while (sSendonly.count === 0 && Date.now() < deadline) await sleep(20);
    assert.equal(sSendonly.count, 1, 'a resumed peer that sends nothing is reported');

    // A packet re-arms the report.
    stops.sendPacket(0, PCMU_SILENCE);
    const again = Date.now() + 5000;
    while (sStops.count < 2 && Date.now() < again) await sleep(20);
    assert.equal(sStops.count, 2, 'reported again after a packet and another silence');
  } finally {
    for (const p of peers) p.close();
    rtcp.close();
    await eng.close();
  }
});

test('inactivity is timed on the engine clock: a manual clock makes the 20 ms check report at once', async () => {
  const clock = new ManualClock();
  const eng = await startEngine({ rtpTimeout: 60, clock });
  const peer = await RtpPeer.open();
  try {
    const ep = await eng.allocate();
    await ep.answer(peer.offer());
    const seen = watch(ep);
    clock.advance(59_999);
    await sleep(100);
    assert.equal(seen.count, 0, 'not before the timeout on the engine clock');
    clock.advance(1);
    const deadline = Date.now() + 2000;
    while (seen.count === 0 && Date.now() < deadline) await sleep(10);
    assert.equal(seen.count, 1, 'reported by the next tick, without a minute of real waiting');
  } finally {
    peer.close();
    await eng.close();
  }
});
