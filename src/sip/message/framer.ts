import { badRequest, SipParseError } from './errors.js';

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(.*?)[ \t]*$/gim;

export interface FramerOptions {
  /** Largest message (headers + body) accepted; beyond it the stream is given up. Default 64 KiB. */
  readonly maxMessageSize?: number;
  /** Called for each RFC 5626 double-CRLF ping, so the transport can answer with a single CRLF pong. */
  readonly onPing?: () => void;
}

/**
 * Cuts complete SIP messages out of a stream (TCP, TLS) using Content-Length, skipping the CRLFs sent
 * as keep-alives between messages. After it yields a `SipParseError` the stream cannot be
 * resynchronised: the framer stops and the transport should close the connection.
 */
export class SipStreamFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private broken = false;
  private readonly maxMessageSize: number;
  private readonly onPing: (() => void) | undefined;

  constructor(opts: FramerOptions = {}) {
    this.maxMessageSize = opts.maxMessageSize ?? 65536;
    this.onPing = opts.onPing;
  }

  /** Bytes held while waiting for the rest of a message. */
  get pending(): number {
    return this.buffer.length;
  }

  push(chunk: Buffer): Array<Buffer | SipParseError> {
    if (this.broken) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: Array<Buffer | SipParseError> = [];
    for (;;) {
      this.skipKeepAlives();
      if (this.buffer.length === 0) break;
      const result = this.next();
      if (result === null) break;
      out.push(result);
      if (result instanceof SipParseError) {
        this.broken = true;
        this.buffer = Buffer.alloc(0);
        break;
      }
    }
    return out;
  }

  private skipKeepAlives(): void {
    let i = 0;
    while (this.buffer[i] === 13 && this.buffer[i + 1] === 10) {
      if (this.buffer[i + 2] === 13 && this.buffer[i + 3] === 10) {
        this.onPing?.();
        i += 4;
      } else i += 2;
    }
    if (i > 0) this.buffer = this.buffer.subarray(i);
  }

  private next(): Buffer | SipParseError | null {
    const headEnd = this.buffer.indexOf(CRLFCRLF);
    if (headEnd < 0) {
      return this.buffer.length > this.maxMessageSize ? new SipParseError(513, 'Message Too Large') : null;
    }
    const head = this.buffer.toString('latin1', 0, headEnd);
    const values = [...head.matchAll(CONTENT_LENGTH)].map((m) => m[1] ?? '');
    if (values.length === 0) return badRequest('Missing Content-Length');
    if (values.length > 1) return badRequest('Multiple Content-Length headers');
    const text = values[0] as string;
    if (!/^[0-9]{1,10}$/.test(text)) return badRequest('Invalid Content-Length');
    const total = headEnd + 4 + Number(text);
    if (total > this.maxMessageSize) return new SipParseError(513, 'Message Too Large');
    if (this.buffer.length < total) return null;
    const message = this.buffer.subarray(0, total);
    this.buffer = this.buffer.subarray(total);
    return message;
  }
}
