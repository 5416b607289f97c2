import { randomInt } from 'node:crypto';
import type { RemoteInfo } from 'node:dgram';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { fetchToCache, loadPcm } from './audio-cache.js';
import { DigitSender } from './digit-sender.js';
import { InbandDtmfDetector, parseTelephoneEvent, EVENT_DIGITS, tone } from './dtmf.js';
import { decode, encode, silence, transcode } from './g711.js';
import type {
  Endpoint, EndpointStats, LoopOptions, MediaSessionKey, PlaybackHandle, PlaySource, RecordingHandle, RecordOptions, SayOptions,
} from './media-server.js';
import { SdpNegotiationError } from './media-server.js';
import { agreementFromAnswer, answerTo, OFFERED_FORMATS, receives, sends, type Codec, type MediaAgreement } from './negotiate.js';
import { Playback } from './playback.js';
import type { PortPair } from './port-pool.js';
import { Recorder } from './recorder.js';
import { parseRtp, serializeRtp, type RtpPacket } from './rtp-packet.js';
import { FRAME_SAMPLES, type Ticker } from './scheduler.js';
import { buildSdp, parseSdp } from './sdp.js';
import { synthesize } from './tts.js';

export interface EndpointContext {
  readonly id: string;
  readonly key: MediaSessionKey;
  readonly ports: PortPair;
  readonly advertise: string;
  readonly cacheDir: string;
  readonly log: Logger;
  /** Silence from the peer this long (ms) is reported through `onInactive`; 0 never reports. */
  readonly rtpTimeoutMs: number;
  /** The engine's clock for timeouts (RTP inactivity, recording limits); frames are paced by the scheduler. */
  readonly clock: Clock;
  /** The file a recording called `name` is written to. */
  recordingPath(name: string | undefined): string;
  addTicker(t: Ticker): () => void;
  onClose(ep: EmbeddedEndpoint): void;
}

/** The room an endpoint is in: where its received packets go, and whether anything comes back. */
export interface RoomLink {
  relay(from: EmbeddedEndpoint, packet: RtpPacket): void;
  /** True while the room relays to `ep`: it then sends no idle silence of its own. */
  feeds(ep: EmbeddedEndpoint): boolean;
  /** Takes `ep` out (it closed, or joins another room). */
  remove(ep: EmbeddedEndpoint): void;
}

const BEEP = tone([1000], 250, 6000);
const SILENT_FRAME = new Int16Array(FRAME_SAMPLES);

/** Signed distance between two 32-bit RTP timestamps. */
function tsDiff(a: number, b: number): number {
  return ((a - b) | 0);
}

export class EmbeddedEndpoint implements Endpoint, Ticker {
  readonly id: string;
  readonly key: MediaSessionKey;
  readonly localPort: number;
  closed = false;
  /** Set by the room this endpoint joins. */
  room: RoomLink | null = null;

  private agreement: MediaAgreement | null = null;
  private offered = false;
  private remote: { address: string; port: number } | null = null;
  private latched = false;
  private readonly sessionId = randomInt(1, 2 ** 31);
  private sdpVersion = 0;

  private readonly ssrc = randomInt(1, 2 ** 32 - 1);
  private seq = randomInt(0, 0x10000);
  private clockTs = randomInt(0, 2 ** 32 - 1);
  private lastSentTs: number | null = null;
  private relaySource: string | null = null;
  private relayOffset = 0;
  private needMarker = true;

  private playback: Playback | null = null;
  private readonly digitSender = new DigitSender();
  private readonly digitListeners = new Set<(d: string) => void>();
  readonly audioTaps = new Set<(samples: Int16Array) => void>();
  private readonly inband: InbandDtmfDetector;
  private sawTelephoneEvent = false;
  private lastEventTs: number | null = null;
  private readonly removeTicker: () => void;
  private readonly closers = new Set<() => void>();
  private readonly closeListeners = new Set<() => void>();
  private readonly inactiveListeners = new Set<() => void>();
  /** When the peer was last heard from (or its description arrived); null before any description. */
  private lastHeard: number | null = null;
  private inactiveReported = false;

  private counters = { packetsSent: 0, packetsReceived: 0, bytesSent: 0, bytesReceived: 0 };

  constructor(private readonly ctx: EndpointContext) {
    this.id = ctx.id;
    this.key = ctx.key;
    this.localPort = ctx.ports.port;
    this.inband = new InbandDtmfDetector((d) => this.emitDigit(d));
    ctx.ports.rtp.on('message', (msg, rinfo) => this.receive(msg, rinfo));
    ctx.ports.rtp.on('error', (err) => ctx.log.warn({ err, endpoint: this.id }, 'RTP socket error'));
    ctx.ports.rtcp.on('error', (err) => ctx.log.warn({ err, endpoint: this.id }, 'RTCP socket error'));
    // RTCP is not parsed, but a peer that only sends reports (muted, some hold implementations) is alive.
    ctx.ports.rtcp.on('message', () => this.heard());
    this.removeTicker = ctx.addTicker(this);
  }

  get codec(): Codec | null {
    return this.agreement?.codec ?? null;
  }

  get dtmfPt(): number | null {
    return this.agreement?.dtmfPt ?? null;
  }

  /** `p` (received here) with its audio replaced by silence, for a muted room member; null for an event. */
  silenced(p: RtpPacket): RtpPacket | null {
    const a = this.agreement;
    return a && p.pt === a.pt ? { ...p, payload: silence(a.codec, p.payload.length) } : null;
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error(`endpoint ${this.id} is closed`);
  }

  private localSdp(a: MediaAgreement): string {
    const formats: { pt: number; encoding: string; clockRate: number; fmtp?: string }[] = [{ pt: a.pt, encoding: a.codec, clockRate: 8000 }];
    if (a.dtmfPt !== null) formats.push({ pt: a.dtmfPt, encoding: 'telephone-event', clockRate: 8000, fmtp: '0-16' });
    return buildSdp({
      sessionId: this.sessionId,
      version: this.sdpVersion++,
      address: this.ctx.advertise,
      port: this.localPort,
      formats,
      direction: a.localDirection,
      rejected: a.otherMedia,
      audioIndex: a.audioIndex,
    });
  }

  private adopt(a: MediaAgreement): void {
    this.agreement = a;
    this.remote = a.remote ? { ...a.remote } : null;
    // A new SDP may move the peer (re-INVITE, answer after a late offer): latch again to what arrives next.
    this.latched = false;
    this.heard();
  }

  private heard(): void {
    if (this.closed) return;
    this.lastHeard = this.ctx.clock.now();
    this.inactiveReported = false;
  }

  /**
   * Once per tick: the peer is expected to send only while it says `sendrecv` at a real address; on
   * hold (`sendonly`, `inactive`, `recvonly`, `c=0.0.0.0`) many phones send nothing for as long as the
   * hold lasts, so the clock is held at zero until the peer sends again or resumes.
   */
  private checkInactivity(): void {
    const a = this.agreement;
    if (this.ctx.rtpTimeoutMs <= 0 || this.lastHeard === null || this.inactiveReported || !a) return;
    if (a.localDirection !== 'sendrecv' || a.remote === null) {
      this.lastHeard = this.ctx.clock.now();
      return;
    }
    const silentMs = this.ctx.clock.now() - this.lastHeard;
    if (silentMs < this.ctx.rtpTimeoutMs) return;
    this.inactiveReported = true;
    this.ctx.log.debug({ endpoint: this.id, silentMs }, 'no RTP from the peer');
    for (const cb of [...this.inactiveListeners]) cb();
  }

  onInactive(cb: () => void): () => void {
    this.inactiveListeners.add(cb);
    return () => {
      this.inactiveListeners.delete(cb);
    };
  }

  onClose(cb: () => void): () => void {
    if (this.closed) {
      cb();
      return () => undefined;
    }
    this.closeListeners.add(cb);
    return () => {
      this.closeListeners.delete(cb);
    };
  }

  async answer(offerSdp: string): Promise<string> {
    this.ensureOpen();
    const a = answerTo(parseSdp(offerSdp));
    this.adopt(a);
    return this.localSdp(a);
  }

  async offer(): Promise<string> {
    this.ensureOpen();
    this.offered = true;
    return buildSdp({
      sessionId: this.sessionId,
      version: this.sdpVersion++,
      address: this.ctx.advertise,
      port: this.localPort,
      formats: OFFERED_FORMATS,
      direction: 'sendrecv',
    });
  }

  async applyAnswer(answerSdp: string): Promise<void> {
    this.ensureOpen();
    if (!this.offered) throw new SdpNegotiationError('no offer of ours is pending: call offer() first');
    this.adopt(agreementFromAnswer(parseSdp(answerSdp)));
    this.offered = false;
  }

  update(offerSdp: string): Promise<string> {
    return this.answer(offerSdp);
  }

  private canSend(): boolean {
    return this.agreement !== null && this.remote !== null && sends(this.agreement.localDirection);
  }

  private send(pt: number, payload: Buffer, timestamp: number, marker: boolean): void {
    const remote = this.remote;
    if (!remote) return;
    const buf = serializeRtp({ pt, marker: marker || this.needMarker, seq: this.seq, timestamp, ssrc: this.ssrc, payload });
    this.needMarker = false;
    this.seq = (this.seq + 1) & 0xffff;
    this.lastSentTs = timestamp >>> 0;
    this.counters.packetsSent++;
    this.counters.bytesSent += buf.length;
    this.ctx.ports.rtp.send(buf, remote.port, remote.address);
  }

  /** The timestamp of a frame we generate now: our clock, but never behind what a relay already sent. */
  private generatedTs(): number {
    if (this.lastSentTs !== null && tsDiff(this.clockTs, this.lastSentTs) <= 0) this.clockTs = (this.lastSentTs + FRAME_SAMPLES) >>> 0;
    return this.clockTs;
  }

  tick(): void {
    this.clockTs = (this.clockTs + FRAME_SAMPLES) >>> 0;
    this.checkInactivity();
    const a = this.agreement;
    const generating = this.digitSender.active || (this.playback?.active ?? false);
    if (!generating) {
      // An endpoint that no room relays to, with nothing to play, sends silence as a media server does:
      // phones hang up after a while without RTP (linphone's nortp_timeout, 30 s by default, during a
      // long Record or Gather) and conceal the missing packets by stretching the end of the last prompt.
      if (!(this.room?.feeds(this) ?? false) && a && this.canSend()) this.send(a.pt, encode(a.codec, SILENT_FRAME), this.generatedTs(), false);
      return;
    }
    // Our own frames interrupt a relayed stream: the next relayed packet starts a new segment.
    this.relaySource = null;
    if (!a || !this.canSend()) {
      this.digitSender.next();
      this.playback?.next();
      return;
    }
    if (this.digitSender.active) {
      const frame = this.digitSender.next();
      if (!frame) return;
      if (frame.kind === 'event') {
        if (a.dtmfPt !== null) {
          if (frame.first) this.digitSender.eventTs = this.generatedTs();
          this.send(a.dtmfPt, frame.payload, this.digitSender.eventTs, frame.first);
        } else {
          this.send(a.pt, encode(a.codec, frame.audio), this.generatedTs(), false);
        }
      } else if (frame.kind === 'audio') {
        this.send(a.pt, encode(a.codec, frame.audio), this.generatedTs(), false);
      }
      return;
    }
    const samples = this.playback?.next();
    if (samples) this.send(a.pt, encode(a.codec, samples), this.generatedTs(), false);
  }

  /** A packet from another member of our room: re-stamped into our own continuous stream. */
  relay(from: EmbeddedEndpoint, p: RtpPacket): void {
    const a = this.agreement;
    if (!a || !this.canSend() || this.digitSender.active || this.playback?.active) return;
    let pt: number;
    let payload: Buffer;
    if (p.pt === from.dtmfPt) {
      if (a.dtmfPt === null) return;
      pt = a.dtmfPt;
      payload = p.payload;
    } else if (p.pt === from.agreement?.pt && from.codec) {
      pt = a.pt;
      payload = transcode(from.codec, a.codec, p.payload);
    } else {
      return;
    }
    const source = `${from.id}/${p.ssrc}`;
    let marker = p.marker;
    if (source !== this.relaySource) {
      const base = this.lastSentTs === null ? this.clockTs : (tsDiff(this.clockTs, this.lastSentTs) > 0 ? this.clockTs : this.lastSentTs + FRAME_SAMPLES);
      this.relayOffset = (base - p.timestamp) | 0;
      this.relaySource = source;
      marker = true;
    }
    this.send(pt, payload, (p.timestamp + this.relayOffset) >>> 0, marker);
  }

  private receive(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.closed) return;
    const p = parseRtp(msg);
    const a = this.agreement;
    if (!p || !a) return;
    if (!this.latched) {
      this.latched = true;
      if (this.remote?.address !== rinfo.address || this.remote.port !== rinfo.port) {
        this.ctx.log.debug({ endpoint: this.id, from: `${rinfo.address}:${rinfo.port}` }, 'RTP latched');
      }
      this.remote = { address: rinfo.address, port: rinfo.port };
    } else if (this.remote?.address !== rinfo.address || this.remote.port !== rinfo.port) {
      // Once latched, packets from elsewhere are dropped: nobody can hijack or inject into the stream.
      return;
    }
    this.heard();
    if (!receives(a.localDirection)) return;
    this.counters.packetsReceived++;
    this.counters.bytesReceived += msg.length;
    if (p.pt === a.dtmfPt) {
      this.sawTelephoneEvent = true;
      const ev = parseTelephoneEvent(p.payload);
      // An event is retransmitted (and ends with three end packets) under one timestamp: report it once.
      if (ev && p.timestamp !== this.lastEventTs && ev.event < EVENT_DIGITS.length) {
        this.lastEventTs = p.timestamp;
        this.emitDigit(EVENT_DIGITS[ev.event]!);
      }
    } else if (p.pt === a.pt) {
      if (this.audioTaps.size > 0 || !this.sawTelephoneEvent) {
        const samples = decode(a.codec, p.payload);
        if (!this.sawTelephoneEvent) this.inband.push(samples);
        for (const tap of this.audioTaps) tap(samples);
      }
    } else {
      return;
    }
    this.room?.relay(this, p);
  }

  private emitDigit(d: string): void {
    for (const cb of [...this.digitListeners]) cb(d);
  }

  private startPlayback(load: () => Promise<Int16Array>, loop: number | undefined): PlaybackHandle {
    this.ensureOpen();
    this.playback?.stop('stopped');
    const pb = new Playback(load, loop ?? 1, this.ctx.log);
    this.playback = pb;
    const closer = (): void => pb.stop('closed');
    this.closers.add(closer);
    void pb.done.then(() => {
      this.closers.delete(closer);
      if (this.playback === pb) this.playback = null;
    });
    return { stop: () => pb.stop('stopped'), done: pb.done };
  }

  play(source: PlaySource, options: LoopOptions = {}): PlaybackHandle {
    const { file, url } = source;
    const cache = this.ctx.cacheDir;
    if (!file && !url) throw new Error('play: give a file or a url');
    return this.startPlayback(async () => loadPcm(file ?? (await fetchToCache(url ?? '', cache)), cache), options.loop);
  }

  say(text: string, options: SayOptions = {}): PlaybackHandle {
    const cache = this.ctx.cacheDir;
    return this.startPlayback(async () => loadPcm(await synthesize(text, options.voice, options.language, cache), cache), options.loop);
  }

  /** Plays samples already in memory (beeps, tones). */
  playSamples(samples: Int16Array, loop = 1): PlaybackHandle {
    return this.startPlayback(() => Promise.resolve(samples), loop);
  }

  sendDigits(digits: string): Promise<void> {
    this.ensureOpen();
    const done = this.digitSender.enqueue(digits);
    const closer = (): void => this.digitSender.clear();
    this.closers.add(closer);
    return done.finally(() => this.closers.delete(closer));
  }

  injectDigit(digit: string): void {
    if (this.closed) return;
    if (digit.length === 1 && EVENT_DIGITS.includes(digit.toUpperCase())) this.emitDigit(digit.toUpperCase());
  }

  onDigit(cb: (digit: string) => void): () => void {
    this.digitListeners.add(cb);
    return () => {
      this.digitListeners.delete(cb);
    };
  }

  record(options: RecordOptions): RecordingHandle {
    this.ensureOpen();
    const rec = new Recorder(this.ctx.recordingPath(options.name), options, this.ctx.clock, this.ctx.log);
    const beep = options.beep ? this.playSamples(BEEP) : null;
    const start = (): void => {
      if (rec.finished) return;
      const tap = (s: Int16Array): void => rec.push(s);
      this.audioTaps.add(tap);
      const off = this.onDigit((d) => rec.digit(d));
      void rec.done.then(() => {
        this.audioTaps.delete(tap);
        off();
      });
      rec.start();
    };
    if (beep) void beep.done.then(start);
    else start();
    const closer = (): void => rec.stop('closed');
    this.closers.add(closer);
    void rec.done.then(() => this.closers.delete(closer));
    return { stop: () => rec.stop('stopped'), done: rec.done };
  }

  stats(): EndpointStats {
    return { ...this.counters, remote: this.remote ? { ...this.remote } : null, latched: this.latched, codec: this.codec };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.room?.remove(this);
    for (const c of [...this.closers]) c();
    this.playback?.stop('closed');
    this.digitListeners.clear();
    this.inactiveListeners.clear();
    this.audioTaps.clear();
    this.removeTicker();
    this.ctx.onClose(this);
    const listeners = [...this.closeListeners];
    this.closeListeners.clear();
    for (const cb of listeners) cb();
  }
}
