import { createSocket, type Socket } from 'node:dgram';
import alawmulaw from 'alawmulaw';

const { alaw, mulaw } = alawmulaw;

/** A packet as the test's own parser sees it (independent of src/media/rtp-packet.ts). */
export interface SeenPacket {
  readonly pt: number;
  readonly marker: boolean;
  readonly seq: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly payload: Buffer;
  readonly from: number;
}

function parse(buf: Buffer, from: number): SeenPacket | null {
  if (buf.length < 12 || buf[0]! >> 6 !== 2) return null;
  return { pt: buf[1]! & 0x7f, marker: (buf[1]! & 0x80) !== 0, seq: buf.readUInt16BE(2), timestamp: buf.readUInt32BE(4), ssrc: buf.readUInt32BE(8), payload: buf.subarray(12 + (buf[0]! & 0x0f) * 4), from };
}

export type Law = 'PCMU' | 'PCMA';

export function encodeLaw(law: Law, s: Int16Array): Buffer {
  return Buffer.from(law === 'PCMU' ? mulaw.encode(s) : alaw.encode(s));
}

export function decodeLaw(law: Law, b: Uint8Array): Int16Array {
  return law === 'PCMU' ? mulaw.decode(b) : alaw.decode(b);
}

/** A phone's RTP side in a test: a UDP socket on 127.0.0.1 that sends real RTP and keeps what it gets. */
export class RtpPeer {
  readonly received: SeenPacket[] = [];
  private seq = 1000;
  private ts = 5000;
  readonly ssrc = 0x1234abcd;
  target = 0;

  private constructor(readonly socket: Socket, readonly port: number) {
    socket.on('message', (msg, rinfo) => {
      const p = parse(msg, rinfo.port);
      if (p) this.received.push(p);
    });
  }

  static async open(): Promise<RtpPeer> {
    const s = createSocket('udp4');
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    return new RtpPeer(s, s.address().port);
  }

  offer(formats = '0 8 101', extra = ['a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16'], direction = 'sendrecv'): string {
    return ['v=0', 'o=peer 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${this.port} RTP/AVP ${formats}`, ...extra, `a=${direction}`, ''].join('\r\n');
  }

  sendPacket(pt: number, payload: Buffer, opts: { marker?: boolean; ts?: number; via?: Socket } = {}): void {
    const b = Buffer.alloc(12 + payload.length);
    b[0] = 0x80;
    b[1] = (opts.marker ? 0x80 : 0) | pt;
    b.writeUInt16BE(this.seq++ & 0xffff, 2);
    b.writeUInt32BE((opts.ts ?? this.ts) >>> 0, 4);
    b.writeUInt32BE(this.ssrc, 8);
    payload.copy(b, 12);
    (opts.via ?? this.socket).send(b, this.target, '127.0.0.1');
  }

  /** Sends audio in 20 ms packets, paced in real time like a phone. */
  async stream(law: Law, pt: number, samples: Int16Array): Promise<void> {
    for (let off = 0; off + 160 <= samples.length; off += 160) {
      this.sendPacket(pt, encodeLaw(law, samples.subarray(off, off + 160)));
      this.ts += 160;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** RFC 4733: 5 packets then 3 end packets, one timestamp. */
  async sendEvent(pt: number, event: number): Promise<void> {
    const ts = this.ts;
    for (let i = 1; i <= 8; i++) {
      const p = Buffer.alloc(4);
      p[0] = event;
      p[1] = (i > 5 ? 0x80 : 0) | 10;
      p.writeUInt16BE(Math.min(i, 5) * 160, 2);
      this.sendPacket(pt, p, { marker: i === 1, ts });
      await new Promise((r) => setTimeout(r, 20));
    }
    this.ts += 8 * 160;
  }

  audio(law: Law, pt: number): Int16Array {
    const parts = this.received.filter((p) => p.pt === pt).map((p) => decodeLaw(law, p.payload));
    const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  async waitFor(cond: () => boolean, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for RTP');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.close();
  }
}
