/**
 * The one interface the call layer uses for media. The embedded engine implements it for a single
 * node; an external engine (rtpengine) can implement it for bigger deployments.
 */

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** Why an SDP offer or answer could not be accepted; the SIP layer answers 488 with `reason`. */
export class SdpNegotiationError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SdpNegotiationError';
  }
}

export interface PlaySource {
  readonly file?: string;
  readonly url?: string;
}

export interface LoopOptions {
  /** How many times to play; 0 plays until stopped. Default 1. */
  readonly loop?: number;
}

export interface SayOptions extends LoopOptions {
  /** `man`, `woman` or a Restcomm/Twilio voice name; see docs/media.md for the mapping. */
  readonly voice?: string;
  /** Restcomm language code (`en`, `en-gb`, `bf`, `es`...) or BCP-47 tag. */
  readonly language?: string;
}

export type PlaybackEnd = 'finished' | 'stopped' | 'closed' | 'failed';

export interface PlaybackHandle {
  stop(): void;
  /** Resolves when the audio ends, is stopped or the endpoint closes; never rejects. */
  readonly done: Promise<PlaybackEnd>;
}

export interface CollectOptions {
  readonly numDigits?: number;
  readonly finishOnKey?: string;
  readonly timeoutMs: number;
  /** The playback to stop at the first digit (Gather's nested Say/Play). */
  readonly interruptPlayback?: PlaybackHandle;
  /** Ends the collection at once with what was entered so far (the call's app was stopped). */
  readonly signal?: AbortSignal;
}

export interface CollectResult {
  /** Digits entered, without the finish key. */
  readonly digits: string;
  readonly reason: 'numDigits' | 'finishOnKey' | 'timeout' | 'closed' | 'aborted';
}

export interface RecordOptions {
  readonly path: string;
  readonly maxLengthMs?: number;
  /** Silence this long (after some sound, or from the start) ends the recording. 0 disables. */
  readonly silenceTimeoutMs?: number;
  /** Keys that end the recording; default none. */
  readonly finishOnKey?: string;
  readonly beep?: boolean;
}

export interface RecordResult {
  readonly durationMs: number;
  /** The key that ended the recording, or '' */
  readonly digits: string;
  readonly reason: 'maxLength' | 'silence' | 'finishOnKey' | 'stopped' | 'closed';
}

export interface RecordingHandle {
  stop(): void;
  readonly done: Promise<RecordResult>;
}

export interface EndpointStats {
  readonly packetsSent: number;
  readonly packetsReceived: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** Where RTP is sent now: the SDP address until a packet arrives from elsewhere (latching). */
  readonly remote: { readonly address: string; readonly port: number } | null;
  readonly latched: boolean;
  readonly codec: 'PCMU' | 'PCMA' | null;
}

export interface Endpoint {
  readonly id: string;
  readonly localPort: number;
  /** Takes a remote offer and returns the local answer; throws SdpNegotiationError. */
  answer(offerSdp: string): string;
  /** A local offer for a late-offer INVITE (no SDP from the peer). */
  offer(): string;
  /** Applies the remote answer to our offer(); throws SdpNegotiationError. */
  applyAnswer(answerSdp: string): void;
  /** A re-INVITE offer (hold, resume, new address); returns the answer. */
  update(offerSdp: string): string;
  play(source: PlaySource, options?: LoopOptions): PlaybackHandle;
  say(text: string, options?: SayOptions): PlaybackHandle;
  /** RFC 4733 events; `w` is a 0.5 s pause. */
  sendDigits(digits: string): Promise<void>;
  /** Digits that arrived out of band (SIP INFO) enter the same stream as RTP and in-band ones. */
  injectDigit(digit: string): void;
  /** Returns an unsubscribe function. */
  onDigit(cb: (digit: string) => void): () => void;
  collect(options: CollectOptions): Promise<CollectResult>;
  record(options: RecordOptions): RecordingHandle;
  /**
   * LCM `Mute`: while muted, the audio this endpoint receives reaches the other party of its bridge as
   * silence (and is left out of a bridge recording), its RFC 4733 events are not relayed; its digits
   * are still detected.
   */
  setMuted(muted: boolean): void;
  readonly muted: boolean;
  /**
   * Called once when no RTP or RTCP has arrived for the engine's RTP timeout while the peer's SDP says
   * it sends (`sendrecv`); a packet arriving later re-arms it. Returns an unsubscribe function.
   */
  onInactive(cb: () => void): () => void;
  stats(): EndpointStats;
  close(): void;
  readonly closed: boolean;
}

export interface BridgeOptions {
  /** When set, both parties are mixed into this 8 kHz mono WAV (Dial record="true"). */
  readonly recordPath?: string;
}

export interface BridgeHandle {
  /** Stops relaying; resolves with the recording duration when one was made. */
  unbridge(): Promise<{ readonly recordingMs: number | null }>;
}

export interface SchedulerStats {
  readonly ticks: number;
  readonly streams: number;
  /** Lateness of ticks against the ideal 20 ms grid, in ms. */
  readonly lateness: { readonly p50: number; readonly p99: number; readonly max: number };
}

export interface MediaServerStats {
  readonly endpoints: number;
  readonly portsInUse: number;
  readonly bridges: number;
  readonly scheduler: SchedulerStats;
}

export interface MediaServer {
  allocate(): Promise<Endpoint>;
  /** An endpoint is in at most one bridge: bridging it again moves it (transfer). */
  bridge(a: Endpoint, b: Endpoint, options?: BridgeOptions): BridgeHandle;
  stats(): MediaServerStats;
  close(): Promise<void>;
}
