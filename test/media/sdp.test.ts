import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SdpNegotiationError } from '../../src/media/media-server.js';
import { agreementFromAnswer, answerTo } from '../../src/media/negotiate.js';
import { buildSdp, parseSdp } from '../../src/media/sdp.js';

const LINPHONE = [
  'v=0', 'o=alice 3001 3002 IN IP4 192.168.1.20', 's=Talk', 'c=IN IP4 192.168.1.20', 't=0 0',
  'a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics',
  'm=audio 7078 RTP/AVP 96 97 98 0 8 18 101 99 100',
  'a=rtpmap:96 opus/48000/2', 'a=fmtp:96 useinbandfec=1', 'a=rtpmap:97 speex/16000', 'a=fmtp:97 vbr=on',
  'a=rtpmap:98 speex/8000', 'a=fmtp:98 vbr=on', 'a=fmtp:18 annexb=yes', 'a=rtpmap:101 telephone-event/48000',
  'a=rtpmap:99 telephone-event/16000', 'a=rtpmap:100 telephone-event/8000', 'a=rtcp-fb:* trr-int 1000',
  'm=video 9078 RTP/AVP 102', 'a=rtpmap:102 VP8/90000', '',
].join('\r\n');

test('linphone offer: G.711 in the offerer order and telephone-event/8000 keeps its payload type', () => {
  const a = answerTo(parseSdp(LINPHONE));
  assert.equal(a.codec, 'PCMU');
  assert.equal(a.pt, 0);
  assert.equal(a.dtmfPt, 100);
  assert.deepEqual(a.remote, { address: '192.168.1.20', port: 7078 });
  assert.equal(a.localDirection, 'sendrecv');
  const sdp = buildSdp({ sessionId: 1, version: 0, address: '10.0.0.1', port: 4000, formats: [{ pt: 0, encoding: 'PCMU', clockRate: 8000 }, { pt: 100, encoding: 'telephone-event', clockRate: 8000, fmtp: '0-16' }], direction: a.localDirection, rejected: a.otherMedia, audioIndex: a.audioIndex });
  const back = parseSdp(sdp);
  assert.equal(back.media.length, 2, 'the answer keeps one m= line per offered one');
  assert.equal(back.media[0]?.port, 4000);
  assert.deepEqual(back.media[0]?.formats, [0, 100]);
  assert.equal(back.media[1]?.type, 'video');
  assert.equal(back.media[1]?.port, 0, 'video is rejected with port 0');
  assert.match(sdp, /a=ptime:20\r\n/);
});

test('PCMA first in the offer is chosen; static payload types need no rtpmap', () => {
  const offer = 'v=0\r\no=x 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 5000 RTP/AVP 8 0\r\n';
  const a = answerTo(parseSdp(offer));
  assert.equal(a.codec, 'PCMA');
  assert.equal(a.dtmfPt, null);
});

test('no common codec is rejected with a reason listing what was offered', () => {
  const offer = 'v=0\r\no=x 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 5000 RTP/AVP 96 18\r\na=rtpmap:96 opus/48000/2\r\n';
  assert.throws(() => answerTo(parseSdp(offer)), (e: unknown) => {
    assert.ok(e instanceof SdpNegotiationError);
    assert.equal(e.reason, 'no common codec: offered OPUS/48000, G729/8000; supported PCMU/8000, PCMA/8000');
    return true;
  });
});

test('hold and resume: directions are mirrored and c=0.0.0.0 means no destination', () => {
  const base = 'v=0\r\no=x 1 2 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n';
  assert.equal(answerTo(parseSdp(base + 'a=sendonly\r\n')).localDirection, 'recvonly');
  assert.equal(answerTo(parseSdp(base + 'a=recvonly\r\n')).localDirection, 'sendonly');
  assert.equal(answerTo(parseSdp(base + 'a=inactive\r\n')).localDirection, 'inactive');
  assert.equal(answerTo(parseSdp(base)).localDirection, 'sendrecv');
  assert.equal(answerTo(parseSdp(base.replace('c=IN IP4 1.2.3.4', 'c=IN IP4 0.0.0.0'))).remote, null);
});

test('malformed SDP gets a reason naming the fault', () => {
  const cases: [string, RegExp][] = [
    ['', /empty body/],
    ['hello', /first line must be v=/],
    ['v=0\r\nm=audio x RTP/AVP 0\r\n', /malformed m= line/],
    ['v=0\r\nc=IN IP4\r\n', /malformed c= line/],
    ['v=0\r\nm=audio 5000 RTP/AVP 0\r\na=rtpmap:zz\r\n', /malformed a=rtpmap/],
    ['v=0\r\nm=video 5000 RTP/AVP 96\r\n', /no audio m= line/],
    ['v=0\r\nm=audio 5000 RTP/SAVP 0\r\n', /unsupported audio transport RTP\/SAVP/],
    ['v=0\r\nm=audio 5000 RTP/AVP 300\r\n', /bad payload type "300"/],
  ];
  for (const [sdp, re] of cases) {
    assert.throws(() => answerTo(parseSdp(sdp)), (e: unknown) => e instanceof SdpNegotiationError && re.test(e.reason), sdp);
  }
});

test('an answer to our offer must use a payload type we offered', () => {
  const answer = 'v=0\r\no=x 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 5000 RTP/AVP 8 101\r\na=rtpmap:101 telephone-event/8000\r\n';
  const a = agreementFromAnswer(parseSdp(answer));
  assert.equal(a.codec, 'PCMA');
  assert.equal(a.dtmfPt, 101);
  const odd = 'v=0\r\no=x 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 5000 RTP/AVP 96\r\na=rtpmap:96 PCMU/8000\r\n';
  assert.throws(() => agreementFromAnswer(parseSdp(odd)), /payload type 96 which was not offered/);
});
