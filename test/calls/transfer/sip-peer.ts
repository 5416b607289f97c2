import { createSocket, type Socket } from 'node:dgram';
import { generateCallId, generateTag } from '../../../src/sip/message/index.js';

/** Header value of a raw SIP message (first occurrence, long name only). */
export function header(msg: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(msg);
  return m?.[1]?.trim();
}

export function body(msg: string): string {
  const at = msg.indexOf('\r\n\r\n');
  return at < 0 ? '' : msg.slice(at + 4);
}

/**
 * A phone on a raw UDP socket: it sets up one call with the stack under test and then sends and answers
 * in-dialog requests exactly as a test scripts them, so every byte the stack sends can be asserted.
 */
export class SipPeer {
  readonly inbox: string[] = [];
  readonly callId = generateCallId();
  readonly fromTag = generateTag();
  toTag = '';
  private cseq = 1;
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly socket: Socket,
    private readonly stackPort: number,
  ) {
    socket.on('message', (d: Buffer) => {
      this.inbox.push(d.toString('utf8'));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(stackPort: number): Promise<SipPeer> {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    return new SipPeer(s, stackPort);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(text: string): void {
    this.socket.send(text, this.stackPort, '127.0.0.1');
  }

  /** Waits for the first message at index >= `from` matching `pattern`; returns it and its index. */
  expect(pattern: RegExp, from = 0, ms = 4000): Promise<{ msg: string; index: number }> {
    return this.expectWhere((m) => pattern.test(m), String(pattern), from, ms);
  }

  /** A request from the stack that is not a retransmission of `previous` (its CSeq is higher). */
  expectNext(method: string, previous: string, from = 0): Promise<{ msg: string; index: number }> {
    const seq = (m: string): number => Number(/^CSeq: (\d+)/m.exec(m)?.[1] ?? -1);
    const floor = seq(previous);
    return this.expectWhere((m) => m.startsWith(`${method} `) && seq(m) > floor, `${method} after CSeq ${floor}`, from, 4000);
  }

  async expectWhere(pred: (msg: string) => boolean, what: string, from: number, ms: number): Promise<{ msg: string; index: number }> {
    const deadline = Date.now() + ms;
    for (;;) {
      for (let i = from; i < this.inbox.length; i++) {
        const msg = this.inbox[i] as string;
        if (pred(msg)) return { msg, index: i };
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message matching ${what}; got:\n${this.inbox.join('\n---\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  request(method: string, extra: string[] = [], content = ''): string {
    const seq = method === 'ACK' ? this.cseq : ++this.cseq;
    return [
      `${method} sip:dialtone@127.0.0.1:${this.stackPort} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=z9hG4bK${generateTag()};rport`,
      'Max-Forwards: 70',
      `From: <sip:bob@127.0.0.1>;tag=${this.fromTag}`,
      `To: <sip:alice@127.0.0.1>${this.toTag ? `;tag=${this.toTag}` : ''}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${seq} ${method}`,
      `Contact: <sip:127.0.0.1:${this.port}>`,
      ...extra,
      `Content-Length: ${Buffer.byteLength(content)}`,
      '',
      content,
    ].join('\r\n');
  }

  /** INVITE → 200 → ACK; the stack's handler must answer 200 and create its UAS dialog. */
  async call(): Promise<void> {
    this.cseq = 0;
    this.send(this.request('INVITE'));
    const ok = await this.expect(/^SIP\/2\.0 200 .*\r\n[\s\S]*CSeq: 1 INVITE/);
    this.toTag = /^To:.*;tag=([^;\s]+)/im.exec(ok.msg)?.[1] ?? '';
    if (this.toTag === '') throw new Error('200 OK without a To tag');
    this.send(this.request('ACK'));
  }

  /** Answers a request the stack sent, copying Via, From, To, Call-ID and CSeq. */
  answer(req: string, status: number, reason: string, extra: string[] = []): void {
    const copied = req.split('\r\n').filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l));
    this.send([`SIP/2.0 ${status} ${reason}`, ...copied, ...extra, 'Content-Length: 0', '', ''].join('\r\n'));
  }

  close(): void {
    this.socket.close();
  }
}
