/**
 * SIP parser throughput on one core: `node --import tsx bench/sip-parser.ts [--seconds 3]`.
 * Parses a mix of typical messages round-robin, first "parse only", then "parse + the typed views a
 * transaction and dialog layer read" (top Via branch, From/To tags, CSeq, Call-ID, Contact).
 * Rates are per second of this process's CPU time, not wall time: on a shared machine the wall clock
 * also counts the time other processes hold the core, which made wall-clock figures vary by ±50 %.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseMessage, parseNameAddr } from '../src/sip/message/index.js';

const SDP = 'v=0\r\no=- 20518 0 IN IP4 203.0.113.1\r\ns=-\r\nc=IN IP4 203.0.113.1\r\nt=0 0\r\nm=audio 54400 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n';

function msg(lines: string[], body = ''): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

const common = (method: string, seq: number): string[] => [
  'From: "Alice" <sip:alice@example.com>;tag=9fxced76sl',
  'To: <sip:bob@example.com>;tag=8321234356',
  'Call-ID: 3848276298220188511@atlanta.example.com',
  `CSeq: ${seq} ${method}`,
  'Max-Forwards: 70',
];

const MIX = [
  msg(['REGISTER sip:example.com SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7;rport',
    'From: Bob <sip:bob@example.com>;tag=a73kszlfl', 'To: Bob <sip:bob@example.com>', 'Call-ID: 1j9FpLxk3uxtm8tn@192.0.2.4',
    'CSeq: 2 REGISTER', 'Max-Forwards: 70', 'Contact: <sip:bob@192.0.2.4;ob>;expires=3600', 'User-Agent: baresip v3.10',
    'Authorization: Digest username="bob", realm="example.com", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", uri="sip:example.com", response="dfe56131d1958046689d83306477ecc", algorithm=MD5, qop=auth, nc=00000001, cnonce="0a4f113b"']),
  msg(['INVITE sip:bob@192.0.2.4 SIP/2.0', 'Via: SIP/2.0/UDP proxy2.example.com:5060;branch=z9hG4bK721e418c4.1',
    'Via: SIP/2.0/UDP proxy1.example.com:5060;branch=z9hG4bK2d4790.1;received=192.0.2.111',
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK74bf9;rport=5060;received=192.0.2.10',
    'Record-Route: <sip:proxy2.example.com;lr>', 'Record-Route: <sip:proxy1.example.com;lr>',
    ...common('INVITE', 1), 'Contact: <sip:alice@192.0.2.10>', 'Allow: INVITE, ACK, CANCEL, BYE, REFER, NOTIFY, OPTIONS',
    'Supported: replaces, timer', 'Content-Type: application/sdp'], SDP),
  msg(['SIP/2.0 200 OK', 'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK74bf9;rport=5060;received=192.0.2.10',
    'Record-Route: <sip:proxy1.example.com;lr>', ...common('INVITE', 1), 'Contact: <sip:bob@192.0.2.4>', 'Content-Type: application/sdp'], SDP),
  msg(['ACK sip:bob@192.0.2.4 SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK74bfa', 'Route: <sip:proxy1.example.com;lr>', ...common('ACK', 1)]),
  msg(['BYE sip:alice@192.0.2.10 SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds10', ...common('BYE', 2)]),
  msg(['NOTIFY sip:alice@192.0.2.10 SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnotify1', ...common('NOTIFY', 3),
    'Contact: <sip:bob@192.0.2.4>', 'Event: refer', 'Subscription-State: active;expires=60', 'Content-Type: message/sipfrag;version=2.0'], 'SIP/2.0 200 OK\r\n'),
  msg(['REFER sip:bob@192.0.2.4 SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKrefer1', ...common('REFER', 4),
    'Contact: <sip:alice@192.0.2.10>', 'Refer-To: <sip:carol@example.com>', 'Referred-By: <sip:alice@example.com>']),
];

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function run(seconds: number, withViews: boolean): number {
  let count = 0;
  let sink = 0;
  const cpuStart = cpuSeconds();
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 1000; i++) {
      const m = parseMessage(MIX[i % MIX.length] as Buffer);
      if (withViews) {
        sink += (m.vias[0]?.branch?.length ?? 0) + (m.from.params.get('tag')?.length ?? 0) + (m.to.params.get('tag')?.length ?? 0);
        sink += m.cseq.seq + m.callId.length;
        const contact = m.headers.get('Contact');
        if (contact !== undefined) sink += parseNameAddr(contact, 'Contact').uri.host.length;
      } else sink += m.body.length;
    }
    count += 1000;
  }
  if (sink === 0) throw new Error('optimised away');
  return count / (cpuSeconds() - cpuStart);
}

const i = process.argv.indexOf('--seconds');
const seconds = i >= 0 ? Number(process.argv[i + 1]) : 3;
run(1, true);
const parseOnly = run(seconds, false);
const withViews = run(seconds, true);
console.log(JSON.stringify({
  cpu: cpus()[0]?.model, node: process.version, messages: MIX.length, seconds,
  parseOnlyPerSec: Math.round(parseOnly), parseAndViewsPerSec: Math.round(withViews),
}));
