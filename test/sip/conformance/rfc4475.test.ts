import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  acceptsContentType, checkProxyRequest, parseMessage, parseMultipart, parseNameAddr, responseFault, SipParseError, validateRequest,
  viaNamesBroadcast, withHeader, type SipMessage, type SipRequest, type SipResponse, type ValidationFailure,
} from '../../../src/sip/message/index.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DIR = join(REPO, '../shared/conformance/rfc4475');
/** These two already have CRLF line ends and binary bodies that must not be touched. */
const RAW = new Set(['intmeth.dat', 'mpart01.dat']);
const OPTS = {
  supportedExtensions: ['100rel', 'replaces', 'timer'],
  acceptedContentTypes: ['application/sdp', 'multipart/mixed'],
  knownSchemes: ['sip', 'sips', 'tel'],
};

function load(name: string): Buffer {
  const raw = readFileSync(join(DIR, name));
  return RAW.has(name) ? raw : Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

function request(name: string): SipRequest {
  const msg = parseMessage(load(name));
  assert.equal(msg.kind, 'request', name);
  return msg as SipRequest;
}

function response(name: string): SipResponse {
  const msg = parseMessage(load(name));
  assert.equal(msg.kind, 'response', name);
  return msg as SipResponse;
}

function parseError(name: string): SipParseError {
  try {
    parseMessage(load(name));
  } catch (err) {
    assert.ok(err instanceof SipParseError, `${name}: ${String(err)}`);
    return err;
  }
  assert.fail(`${name} parsed but must be rejected`);
}

function verdict(name: string): ValidationFailure | null {
  return validateRequest(request(name), OPTS);
}

test('every message in the corpus is covered by this suite', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.dat')).sort();
  assert.equal(files.length, 49);
  for (const f of files) {
    try {
      const msg: SipMessage = parseMessage(load(f));
      assert.ok(msg.kind === 'request' || msg.kind === 'response');
    } catch (err) {
      assert.ok(err instanceof SipParseError, `${f} threw ${String(err)}`);
    }
  }
});

test('3.1.1.1 wsinv: folding, compact forms, odd case and spacing', () => {
  const m = request('wsinv.dat');
  assert.equal(m.method, 'INVITE');
  assert.equal(m.uri.user, 'vivekg');
  assert.equal(m.uri.host, 'chair-dnrc.example.com');
  assert.equal(m.uri.params.get('unknownparam'), null);
  assert.equal(m.to.uri.raw, 'sip:vivekg@chair-dnrc.example.com');
  assert.equal(m.to.params.get('tag'), '1918181833n');
  assert.equal(m.from.displayName, 'J Rosenberg \\"');
  assert.equal(m.from.uri.raw, 'sip:jdrosen@example.com');
  assert.equal(m.from.params.get('tag'), '98asjd8');
  assert.equal(m.headers.get('Max-Forwards'), '0068');
  assert.deepEqual(m.cseq, { seq: 9, method: 'INVITE' });
  assert.equal(m.callId, 'wsinv.ndaksdj@192.0.2.1');
  assert.equal(m.headers.get('Subject'), '');
  assert.equal(m.headers.get('NewFangledHeader'), 'newfangled value continued newfangled value');
  assert.equal(m.headers.get('UnknownHeaderWithUnusualValue'), ';;,,;;,;');
  assert.equal(m.headers.get('route'), '<sip:services.example.com;lr;unknownwith=value;unknown-no-value>');
  assert.deepEqual(m.vias.map((v) => [v.protocol, v.transport, v.host, v.branch]), [
    ['SIP/2.0', 'UDP', '192.0.2.2', '390skdjuw'],
    ['SIP/2.0', 'TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
    ['SIP/2.0', 'UDP', '192.168.255.111', 'z9hG4bK30239'],
  ]);
  const contact = m.headers.getAll('Contact');
  assert.equal(contact.length, 1);
  assert.equal(m.body.length, 150);
  assert.equal(validateRequest(m, OPTS), null);
});

test('3.1.1.2 intmeth: token characters in method, URI user and password, quoted controls', () => {
  const m = request('intmeth.dat');
  assert.equal(m.method, "!interesting-Method0123456789_*+`.%indeed'~");
  assert.equal(m.uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  assert.equal(m.uri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  assert.equal(m.uri.host, 'example.com');
  assert.equal(m.vias[0]?.branch, "z9hG4bK-.!%66*_+`'~");
  assert.equal(m.to.displayName, 'BEL:\x07 NUL:\x00 DEL:\x7f');
  assert.equal(m.to.uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  assert.equal(m.from.displayName, "token1~` token2'+_ token3*%!.-");
  assert.equal(m.from.params.get('tag'), "_token~1'+`*%!-.");
  assert.equal(m.from.params.get("fromparam''~+*_!.-%"), '"работающий"');
  assert.equal(m.callId, 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
  assert.equal(m.cseq.method, m.method);
  assert.equal(validateRequest(m, OPTS), null);
});

test('3.1.1.3 esc01 and 3.1.1.4 escnull: escapes decoded in user parts', () => {
  const m = request('esc01.dat');
  assert.equal(m.uri.user, 'sips:user@example.com');
  assert.equal(m.uri.host, 'example.net');
  assert.equal(m.to.uri.user, 'user');
  assert.equal(m.from.uri.user, 'I have spaces');
  assert.equal(m.headers.get('Content-Type'), 'application/sdp');
  assert.equal(m.callId, 'esc01.239409asdfakjkn23onasd0-3234');
  assert.equal(m.headers.getAll('Contact').length, 1);
  assert.equal(validateRequest(m, OPTS), null);
  const n = request('escnull.dat');
  assert.equal(n.to.uri.user, 'null-\0-null');
  assert.equal(n.from.uri.user, 'null-\0-null');
  assert.deepEqual(n.headers.getAll('contact'), ['<sip:%00@host5.example.com>', '<sip:%00%00@host5.example.com>']);
  assert.equal(n.body.length, 0);
});

test('3.1.1.5 esc02: a % that is not an escape where it is allowed', () => {
  const m = request('esc02.dat');
  assert.equal(m.method, 'RE%47IST%45R');
  assert.equal(m.cseq.method, 'RE%47IST%45R');
  assert.equal(m.to.displayName, '%Z%45');
  assert.equal(m.vias[0]?.branch, 'z9hG4bK209%fzsnel234');
  assert.equal(m.headers.getAll('Contact').length, 2);
  assert.equal(m.headers.get('C%6Fntact'), '<sip:alias2@host2.example.com>');
  assert.equal(validateRequest(m, OPTS), null);
});

test('3.1.1.6 lwsdisp, 3.1.1.9 semiuri, 3.1.1.10 transports', () => {
  const l = request('lwsdisp.dat');
  assert.equal(l.from.displayName, 'caller');
  assert.equal(l.from.params.get('tag'), '323');
  const s = request('semiuri.dat');
  assert.equal(s.uri.user, 'user;par=u@example.net');
  assert.equal(s.uri.host, 'example.com');
  assert.equal(s.uri.params.size, 0);
  assert.deepEqual(s.headers.getAll('Accept'), [
    'application/sdp', 'application/pkcs7-mime', 'multipart/mixed', 'multipart/signed', 'message/sip', 'message/sipfrag',
  ]);
  const t = request('transports.dat');
  assert.deepEqual(t.vias.map((v) => v.transport), ['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
  assert.equal(t.callId, 'transports.kijh4akdnaqjkwendsasfdj');
});

test('3.1.1.7 longreq: long values keep their exact lengths', () => {
  const m = request('longreq.dat');
  assert.equal(m.vias.length, 34);
  assert.equal(m.to.displayName?.length, 103);
  assert.equal(m.headers.get('To')?.length, 486);
  assert.equal(m.headers.get('From')?.length, 590);
  assert.equal(m.callId.length, 141);
  assert.equal(m.from.uri.user?.length, 115);
  assert.deepEqual([...m.to.uri.params.keys()].map((k) => k.length), [13, 109, 128]);
  assert.equal(m.to.uri.params.get('longparamnamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamename'), 'shortvalue');
  assert.equal(m.headers.get('Unknown-LongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLong-Name')?.length, 306);
  assert.equal(m.body.length, 150);
  assert.equal(validateRequest(m, OPTS), null);
});

test('3.1.1.8 dblreq: octets after Content-Length in a datagram are ignored', () => {
  const m = request('dblreq.dat');
  assert.equal(m.method, 'REGISTER');
  assert.equal(m.callId, 'dblreq.0ha0isndaksdj99sdfafnl3lk233412');
  assert.equal(m.body.length, 0);
  assert.equal(m.headers.has('Content-Type'), false);
});

test('3.1.1.11 mpart01: multipart body with a binary part', () => {
  const m = request('mpart01.dat');
  assert.equal(m.body.length, 553);
  const parts = parseMultipart(m.body, m.headers.get('Content-Type') ?? '');
  assert.equal(parts.length, 2);
  assert.equal(parts[0]?.headers.get('Content-Type'), 'text/plain');
  assert.equal(parts[0]?.body.toString(), 'Hello');
  assert.equal(parts[1]?.headers.get('Content-Type'), 'application/octet-stream');
  assert.equal(parts[1]?.headers.get('Content-Transfer-Encoding'), 'binary');
  assert.equal(parts[1]?.body.length, 342);
  assert.equal(parts[1]?.body.readUInt16BE(0), 0x3082);
});

test('3.1.1.12 unreason and 3.1.1.13 noreason: unusual and empty reason phrases', () => {
  const u = response('unreason.dat');
  assert.equal(u.status, 200);
  assert.equal(u.reason, '= 2**3 * 5**2 но сто девяносто девять - простое');
  assert.equal(u.body.length, 154);
  assert.equal(responseFault(u), null);
  const n = response('noreason.dat');
  assert.equal(n.status, 100);
  assert.equal(n.reason, '');
  assert.equal(responseFault(n), null);
});

test('3.1.2 invalid messages rejected by the parser with a reason naming the fault', () => {
  const cases: Array<[string, number, string]> = [
    ['clerr.dat', 400, 'Bad Request - Content-Length larger than body'],
    ['ncl.dat', 400, 'Bad Request - Invalid Content-Length'],
    ['ltgtruri.dat', 400, 'Bad Request - Request-URI must not be enclosed in <>'],
    ['lwsruri.dat', 400, 'Bad Request - Whitespace in Request-URI'],
    ['lwsstart.dat', 400, 'Bad Request - Extra whitespace in request line'],
    ['trws.dat', 400, 'Bad Request - Trailing whitespace in request line'],
    ['escruri.dat', 400, 'Bad Request - Request-URI must not contain headers'],
    ['badvers.dat', 505, 'Version Not Supported'],
    ['bigcode.dat', 400, 'Bad Request - Invalid status code'],
    ['mcl01.dat', 400, 'Bad Request - Multiple Content-Length headers'],
  ];
  for (const [file, status, reason] of cases) {
    const err = parseError(file);
    assert.equal(err.status, status, file);
    assert.equal(err.reason, reason, file);
  }
});

test('parse errors carry what a stateless 400 needs', () => {
  const err = parseError('clerr.dat');
  assert.equal(err.partial.kind, 'request');
  assert.equal(err.partial.method, 'INVITE');
  assert.deepEqual(err.partial.headers.map(([n]) => n), ['To', 'From', 'Call-ID', 'CSeq', 'Via']);
  assert.ok(err.partial.headers.some(([n, v]) => n === 'Call-ID' && v === 'clerr.0ha0isndaksdjweiafasdk3'));
  const v = parseError('badvers.dat');
  assert.ok(v.partial.headers.some(([n, val]) => n === 'Via' && val === 'SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw'));
});

test('3.1.2 invalid messages that parse are refused by validateRequest with 400', () => {
  const cases: Array<[string, string]> = [
    ['badinv01.dat', 'Bad Request - Empty parameter name in Via'],
    ['scalar02.dat', 'Bad Request - Invalid CSeq number'],
    ['quotbal.dat', 'Bad Request - Unterminated quoted string in To'],
    ['baddate.dat', 'Bad Request - Invalid Date (RFC 1123 date in GMT required)'],
    ['regbadct.dat', 'Bad Request - URI with "?" or "," must be enclosed in <> in Contact'],
    ['badaspec.dat', 'Bad Request - Whitespace inside <> in To'],
    ['baddn.dat', 'Bad Request - Invalid character "," in unquoted display name of From'],
    ['mismatch01.dat', 'Bad Request - CSeq method does not match the request method'],
    ['mismatch02.dat', 'Bad Request - CSeq method does not match the request method'],
  ];
  for (const [file, reason] of cases) assert.deepEqual(verdict(file), { status: 400, reason }, file);
});

test('3.1.2.4 scalar02: each overlarge value is caught on its own', () => {
  const m = request('scalar02.dat');
  const fixedCSeq = withHeader(m, 'CSeq', '36 REGISTER');
  assert.deepEqual(validateRequest(fixedCSeq, OPTS), { status: 400, reason: 'Bad Request - Invalid Contact expires' });
  const fixedContact = withHeader(fixedCSeq, 'Contact', '<sip:user@host129.example.com>;expires=3600');
  assert.deepEqual(validateRequest(fixedContact, OPTS), { status: 400, reason: 'Bad Request - Invalid Max-Forwards' });
  const fixedMf = withHeader(fixedContact, 'Max-Forwards', '70');
  assert.deepEqual(validateRequest(fixedMf, OPTS), { status: 400, reason: 'Bad Request - Invalid Expires' });
  assert.equal(validateRequest(withHeader(fixedMf, 'Expires', '3600'), OPTS), null);
});

test('3.1.2.5 scalarlg and 3.3.10 bcast: responses to drop', () => {
  assert.equal(responseFault(response('scalarlg.dat')), 'Bad Request - Invalid CSeq number');
  const fixed = withHeader(response('scalarlg.dat'), 'CSeq', '1 OPTIONS');
  assert.equal(responseFault(fixed), 'Bad Request - Invalid Retry-After');
  const b = response('bcast.dat');
  assert.equal(viaNamesBroadcast(b), true);
  assert.equal(responseFault(b), 'Via names a broadcast address');
  assert.equal(viaNamesBroadcast(response('unreason.dat')), false);
});

test('3.2.1 badbranch: a bare magic cookie is an RFC 2543-style branch, still parsed', () => {
  const m = request('badbranch.dat');
  assert.equal(m.vias[0]?.branch, 'z9hG4bK');
  assert.equal(validateRequest(m, OPTS), null);
});

test('3.3 semantics: 400, 416, 420, 415 and 483 as a UAS or proxy answers them', () => {
  assert.deepEqual(verdict('insuf.dat'), { status: 400, reason: 'Bad Request - Missing From, To, Call-ID headers' });
  assert.deepEqual(verdict('unkscm.dat'), { status: 416, reason: 'Unsupported URI Scheme' });
  assert.equal(request('unkscm.dat').uri.raw, 'nobodyKnowsThisScheme:totallyopaquecontent');
  const novel = request('novelsc.dat');
  assert.equal(novel.uri.scheme, 'soap.beep');
  assert.deepEqual(validateRequest(novel, OPTS), { status: 416, reason: 'Unsupported URI Scheme' });
  assert.equal(validateRequest(novel, { ...OPTS, knownSchemes: ['sip', 'soap.beep'] }), null);
  assert.deepEqual(verdict('bext01.dat'), {
    status: 420, reason: 'Bad Extension', headers: [['Unsupported', 'nothingSupportsThis, nothingSupportsThisEither']],
  });
  assert.deepEqual(checkProxyRequest(request('bext01.dat'), OPTS.supportedExtensions), {
    status: 420, reason: 'Bad Extension', headers: [['Unsupported', 'noProxiesSupportThis, norDoAnyProxiesSupportThis']],
  });
  assert.deepEqual(verdict('invut.dat'), {
    status: 415, reason: 'Unsupported Media Type', headers: [['Accept', 'application/sdp, multipart/mixed']],
  });
  assert.deepEqual(verdict('multi01.dat'), {
    status: 400, reason: 'Bad Request - Multiple values in single-value headers From, To, Call-ID, CSeq, Max-Forwards',
  });
  const zero = request('zeromf.dat');
  assert.equal(validateRequest(zero, OPTS), null);
  assert.deepEqual(checkProxyRequest(zero, OPTS.supportedExtensions), { status: 483, reason: 'Too Many Hops' });
});

test('3.3 semantics: messages a UAS accepts, with their values', () => {
  const u = request('unksm2.dat');
  assert.equal(validateRequest(u, OPTS), null);
  assert.equal(u.to.uri.scheme, 'isbn');
  assert.equal(u.to.uri.raw, 'isbn:2983792873');
  assert.equal(u.from.uri.raw, 'http://www.example.com');
  assert.equal(u.from.params.get('tag'), '3234233');
  const r = request('regaut01.dat');
  assert.equal(validateRequest(r, OPTS), null);
  assert.equal(r.headers.get('Authorization'), 'NoOneKnowsThisScheme opaque-data=here');
  const c1 = request('cparam01.dat');
  assert.equal(validateRequest(c1, OPTS), null);
  const contact1 = c1.headers.get('Contact') ?? '';
  assert.equal(contact1, 'sip:+19725552222@gw1.example.net;unknownparam');
  const na1 = parseNameAddr(contact1);
  assert.equal(na1.uri.params.size, 0);
  assert.equal(na1.params.get('unknownparam'), null);
  const na2 = parseNameAddr(request('cparam02.dat').headers.get('Contact') ?? '');
  assert.equal(na2.uri.params.get('unknownparam'), null);
  assert.equal(na2.params.size, 0);
  const esc = request('regescrt.dat');
  assert.equal(validateRequest(esc, OPTS), null);
  assert.equal(parseNameAddr(esc.headers.get('Contact') ?? '').uri.headers.get('Route'), '<sip:sip.example.com>');
  const sdp = request('sdp01.dat');
  assert.equal(validateRequest(sdp, OPTS), null);
  assert.equal(acceptsContentType(sdp, 'application/sdp'), false);
  assert.equal(acceptsContentType(request('semiuri.dat'), 'application/sdp'), true);
});

test('3.4.1 inv2543: RFC 2543 syntax is accepted', () => {
  const m = request('inv2543.dat');
  assert.equal(validateRequest(m, OPTS), null);
  assert.equal(m.vias[0]?.branch, null);
  assert.equal(m.vias[0]?.host, 'iftgw.example.com');
  assert.equal(m.to.uri.params.size, 0);
  assert.equal(m.to.params.get('user'), 'phone');
  assert.equal(m.from.uri.params.get('user'), 'phone');
  assert.equal(m.headers.has('Max-Forwards'), false);
});
