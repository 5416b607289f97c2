import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { pino } from 'pino';
import { createTransport } from '../../../src/sip/transport/transport.js';
import type { SipSource, Transport } from '../../../src/sip/transport/types.js';
import { createResponse, createRequest, type SipMessage, type SipRequest } from '../../../src/sip/message/index.js';
import { realClock, type Clock } from '../../../src/clock.js';
import { ManualClock } from '../../support/clock.js';

const log = pino({ level: 'silent' });

async function start(opts: { clock?: Clock; idleMs?: number; maxTcp?: number } = {}): Promise<Transport> {
  return createTransport({
    host: '127.0.0.1',
    port: 0,
    advertisedHost: '127.0.0.1',
    log,
    clock: opts.clock ?? realClock,
    tcpIdleMs: opts.idleMs ?? 300_000,
    maxTcpConnections: opts.maxTcp ?? 100,
  });
}

function options(via: string, callId = 'c1@test', extra = ''): string {
  return (
    `OPTIONS sip:node@127.0.0.1 SIP/2.0\r\nVia: ${via}\r\nMax-Forwards: 70\r\nFrom: <sip:a@test>;tag=1\r\n` +
    `To: <sip:node@127.0.0.1>\r\nCall-ID: ${callId}\r\nCSeq: 1 OPTIONS\r\n${extra}Content-Length: 0\r\n\r\n`
  );
}

/** Resolves with the next messages the transport hands up, or rejects after a deadline. */
function nextMessages(t: Transport, count: number, ms = 3000): Promise<Array<{ msg: SipMessage; source: SipSource }>> {
  const got: Array<{ msg: SipMessage; source: SipSource }> = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${count} messages arrived`)), ms);
    t.onMessage((msg, source) => {
      got.push({ msg, source });
      if (got.length === count) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
}

function readUntil(socket: Socket, pattern: RegExp, ms = 3000): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in ${JSON.stringify(text)}`)), ms);
    socket.on('data', (d: Buffer) => {
      text += d.toString('utf8');
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

test('UDP: received and rport are stamped on the top Via; responses go to received:rport', async () => {
  const t = await start();
  const client = createSocket('udp4');
  try {
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', r));
    const cport = client.address().port;
    const arrived = nextMessages(t, 1);
    client.send(options('SIP/2.0/UDP 10.9.9.9:5099;branch=z9hG4bKabc;rport'), t.udpPort, '127.0.0.1');
    const [first] = await arrived;
    assert.ok(first && first.msg.kind === 'request');
    const via = first.msg.vias[0];
    assert.equal(via?.params.get('received'), '127.0.0.1');
    assert.equal(via?.params.get('rport'), String(cport));
    assert.deepEqual({ transport: first.source.transport, host: first.source.host, port: first.source.port }, { transport: 'UDP', host: '127.0.0.1', port: cport });
    assert.equal(first.source.local.port, t.udpPort);

    const reply = once(client, 'message');
    await t.send(createResponse(first.msg, 200), { transport: 'UDP', host: '127.0.0.1', port: cport });
    const [data] = (await reply) as [Buffer];
    assert.match(data.toString(), /^SIP\/2\.0 200 OK\r\n/);
    assert.match(data.toString(), new RegExp(`branch=z9hG4bKabc;rport=${cport};received=127\\.0\\.0\\.1\\r\\n`));
  } finally {
    client.close();
    await t.close();
  }
});

test('UDP: an unparsable request gets a 400 naming the fault; an unparsable response is dropped; both counted', async () => {
  const t = await start();
  const client = createSocket('udp4');
  let handed = 0;
  t.onMessage(() => handed++);
  try {
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', r));
    const reply = once(client, 'message');
    const bad = options('SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bKx', 'bad@test').replace('OPTIONS sip:node@127.0.0.1 SIP/2.0', 'OPTIONS  sip:node@127.0.0.1 SIP/2.0');
    client.send(bad, t.udpPort, '127.0.0.1');
    const [data] = (await reply) as [Buffer];
    const text = data.toString();
    assert.match(text, /^SIP\/2\.0 400 Bad Request - Extra whitespace in request line\r\n/);
    assert.match(text, /Call-ID: bad@test\r\n/);

    client.send('SIP/2.0 999 Nope\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bKy\r\n\r\n', t.udpPort, '127.0.0.1');
    client.send('\r\n\r\n', t.udpPort, '127.0.0.1');
    const probe = nextMessages(t, 1);
    client.send(options('SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bKz', 'probe@test'), t.udpPort, '127.0.0.1');
    await probe;
    assert.equal(handed, 1, 'only the valid request was handed up');
    assert.equal(t.stats().parseErrors, 2);
  } finally {
    client.close();
    await t.close();
  }
});

test('TCP: messages split across segments and merged into one are framed; the reply reuses the connection', async () => {
  const t = await start();
  const sock = connect(t.tcpPort, '127.0.0.1');
  try {
    await once(sock, 'connect');
    const arrived = nextMessages(t, 3);
    const one = options('SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bK1', 'a@test');
    const two = options('SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bK2', 'b@test', 'Content-Type: text/plain\r\n').replace('Content-Length: 0\r\n\r\n', 'Content-Length: 5\r\n\r\nhello');
    const three = options('SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bK3', 'c@test');
    sock.write(one.slice(0, 17));
    await new Promise((r) => setTimeout(r, 20));
    sock.write(one.slice(17, 90));
    await new Promise((r) => setTimeout(r, 20));
    sock.write(one.slice(90) + two + three.slice(0, 40));
    await new Promise((r) => setTimeout(r, 20));
    sock.write(three.slice(40));
    const got = await arrived;
    assert.deepEqual(got.map((g) => g.msg.callId), ['a@test', 'b@test', 'c@test']);
    assert.equal(got[1]?.msg.body.toString(), 'hello');
    const src = got[0]?.source;
    assert.ok(src && src.transport === 'TCP' && src.connectionId !== undefined);
    assert.equal(t.stats().tcpConnections, 1);

    const reply = readUntil(sock, /Call-ID: a@test/);
    // Even with a made-up host:port the named connection is used, as RFC 3261 18.2.2 asks.
    await t.send(createResponse(got[0]?.msg as SipRequest, 200), { transport: 'TCP', host: '127.0.0.1', port: 1, connectionId: src.connectionId });
    assert.match(await reply, /^SIP\/2\.0 200 OK\r\n/);
    assert.equal(t.stats().tcpConnections, 1);
  } finally {
    sock.destroy();
    await t.close();
  }
});

test('TCP: a request to the host:port of an open inbound connection reuses that connection', async () => {
  const t = await start();
  const sock = connect(t.tcpPort, '127.0.0.1');
  try {
    await once(sock, 'connect');
    const arrived = nextMessages(t, 1);
    sock.write(options('SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bK1', 'in@test'));
    await arrived;
    const got = readUntil(sock, /Call-ID: out@test/);
    const req = createRequest({
      method: 'OPTIONS',
      uri: `sip:peer@127.0.0.1:${sock.localPort}`,
      headers: [['Via', 'SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKo'], ['From', '<sip:n@x>;tag=9'], ['To', '<sip:p@x>'], ['Call-ID', 'out@test'], ['CSeq', '1 OPTIONS']],
    });
    await t.send(req, { transport: 'TCP', host: '127.0.0.1', port: sock.localPort ?? 0 });
    assert.match(await got, /^OPTIONS sip:peer@/);
    assert.equal(t.stats().tcpConnections, 1);
  } finally {
    sock.destroy();
    await t.close();
  }
});

test('a request over 1300 bytes bound for UDP goes over TCP with a TCP Via (RFC 3261 18.1.1)', async () => {
  const t = await start();
  const server = createServer();
  const udp = createSocket('udp4');
  let udpGot = 0;
  udp.on('message', () => udpGot++);
  try {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => udp.bind(port, '127.0.0.1', r));
    const received = new Promise<string>((resolve) => {
      server.on('connection', (s) => {
        let text = '';
        s.on('data', (d: Buffer) => {
          text += d.toString();
          if (text.includes('\r\n\r\n')) resolve(text);
        });
      });
    });
    const req = createRequest({
      method: 'MESSAGE',
      uri: `sip:peer@127.0.0.1:${port}`,
      headers: [['Via', 'SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bKbig;rport'], ['From', '<sip:n@x>;tag=9'], ['To', '<sip:p@x>'], ['Call-ID', 'big@test'], ['CSeq', '1 MESSAGE'], ['Content-Type', 'text/plain']],
      body: 'x'.repeat(1400),
    });
    const used = await t.send(req, { transport: 'UDP', host: '127.0.0.1', port });
    assert.equal(used.transport, 'TCP');
    assert.ok(used.connectionId);
    const text = await received;
    assert.match(text, /\r\nVia: SIP\/2\.0\/TCP 127\.0\.0\.1:5080;branch=z9hG4bKbig;rport\r\n/);
    assert.equal(udpGot, 0);
  } finally {
    udp.close();
    await t.close();
    server.close();
  }
});

test('TCP: idle connections are closed after the idle timeout unless held; the connection limit refuses extras', async () => {
  const clock = new ManualClock();
  const t = await start({ clock, idleMs: 60_000, maxTcp: 1 });
  const a = connect(t.tcpPort, '127.0.0.1');
  try {
    await once(a, 'connect');
    const arrived = nextMessages(t, 1);
    a.write(options('SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bK1', 'idle@test'));
    const [m] = await arrived;
    const id = m?.source.connectionId ?? '';

    const b = connect(t.tcpPort, '127.0.0.1');
    await once(b, 'close');
    assert.equal(t.stats().tcpConnections, 1, 'the second connection was refused at the limit');

    t.hold(id);
    clock.advance(120_000);
    assert.equal(t.stats().tcpConnections, 1, 'held connections survive the idle timeout');
    t.release(id);
    const closed = once(a, 'close');
    clock.advance(60_000);
    await closed;
    assert.equal(t.stats().tcpConnections, 0);
  } finally {
    a.destroy();
    await t.close();
  }
});
