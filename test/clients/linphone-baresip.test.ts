import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { hasTone, readWav, toneDuration, writeToneWav } from '../support/audio.js';
import { Baresip } from '../support/baresip.js';
import { Linphone } from '../support/linphone.js';
import { makeRunDir } from '../support/process.js';
import { startSippUas } from '../support/sipp.js';

const LINPHONE_TONE = 1000;
const BARESIP_TONE = 600;

function tones(): { linphone: string; baresip: string } {
  const dir = makeRunDir('tones');
  const linphone = join(dir, `tone-${LINPHONE_TONE}.wav`);
  const baresip = join(dir, `tone-${BARESIP_TONE}.wav`);
  writeToneWav(linphone, LINPHONE_TONE, 4000);
  // baresip hangs up when its source file ends, so its tone outlasts every call here.
  writeToneWav(baresip, BARESIP_TONE, 25_000);
  return { linphone, baresip };
}

test('linphonec calls baresip directly and each hears the other one\'s tone', async () => {
  const wav = tones();
  const bob = await Baresip.start({ user: 'bob', autoAnswer: true, playWav: wav.baresip });
  const alice = await Linphone.start({ user: 'alice' });
  try {
    const heard = join(alice.dir, 'heard.wav');
    await alice.play(wav.linphone);
    await alice.record(heard);
    const mark = bob.process.mark();
    await alice.call(bob.uri);
    await bob.established(mark);
    await bob.process.waitFor(/audio=\d+\/[1-9]\d*/, 10_000, mark);
    await alice.terminate();
    await bob.terminated(mark);

    const bobHeard = readWav(bob.lastDump().received).samples;
    assert.ok(hasTone(bobHeard, LINPHONE_TONE), `baresip heard ${toneDuration(bobHeard, LINPHONE_TONE)} ms of ${LINPHONE_TONE} Hz`);
    assert.ok(!hasTone(bobHeard, BARESIP_TONE), 'baresip must not hear its own tone');
    const aliceHeard = readWav(heard).samples;
    assert.ok(hasTone(aliceHeard, BARESIP_TONE), `linphonec heard ${toneDuration(aliceHeard, BARESIP_TONE)} ms of ${BARESIP_TONE} Hz`);
  } finally {
    await Promise.all([alice.stop(), bob.stop()]);
  }
  assert.equal((await alice.process.exited).code, 0, alice.process.tail());
  assert.equal((await bob.process.exited).code, 0, bob.process.tail());
});

test('baresip calls linphonec (auto-answer), audio flows, then linphonec blind-transfers baresip to a SIPp UAS', async () => {
  const wav = tones();
  const carol = await startSippUas({ name: 'sipp-carol' });
  const alice = await Linphone.start({ user: 'alice', autoAnswer: true });
  const bob = await Baresip.start({ user: 'bob', playWav: wav.baresip });
  try {
    const heard = join(alice.dir, 'heard.wav');
    await alice.play(wav.linphone);
    await alice.record(heard);
    const aliceMark = alice.process.mark();
    await bob.dial(alice.uri);
    await alice.connected(aliceMark);
    await bob.process.waitFor(/audio=\d+\/[1-9]\d*/, 10_000);

    const bobMark = bob.process.mark();
    const aliceBeforeTransfer = alice.process.mark();
    await alice.transfer(`sip:carol@127.0.0.1:${carol.port}`);
    await bob.process.waitFor(/Call established: sip:carol@/, 10_000, bobMark);
    // The transferor hangs up its own leg once the NOTIFY reports success.
    await alice.ended(aliceBeforeTransfer);
    await bob.process.waitFor(/Call with sip:alice@\S+ terminated/, 10_000, bobMark);
    await bob.hangup();
    const carolResult = await carol.result();
    assert.equal(carolResult.successful, 1, carolResult.output);
    assert.match(carolResult.messages, /^INVITE sip:carol@127\.0\.0\.1:\d+ SIP\/2\.0/m);

    const aliceHeard = readWav(heard).samples;
    assert.ok(hasTone(aliceHeard, BARESIP_TONE), `linphonec heard ${toneDuration(aliceHeard, BARESIP_TONE)} ms of ${BARESIP_TONE} Hz`);
  } finally {
    await Promise.all([alice.stop(), bob.stop(), carol.stop()]);
  }
});
