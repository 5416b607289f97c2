/**
 * The one interface the call layer uses for media, in three parts: a media session per call leg (SDP
 * offer/answer, update, delete), the media functions on it (play, record, DTMF), and rooms that
 * endpoints join (a Dial bridge is a room of two). Sessions are keyed by the leg's SIP identity and
 * every operation an external engine would carry out by a command is asynchronous, so the embedded
 * engine (one node) and an external one (rtpengine, see docs/media.md for the mapping) fit behind it.
 */

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** Why an SDP offer or answer could not be accepted; the SIP layer answers 488 with `reason`. */
export class SdpNegotiationError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SdpNegotiationError';
  }
}

/**
 * Which leg a media session belongs to, as an external engine keys it: the SIP Call-ID of the leg's
 * dialog and our own tag in it (the To tag we answer an INVITE with, the From tag of an INVITE we
 * send). Our tag, not the peer's, keeps the key unique when a call loops back to this node.
 */
export interface MediaSessionKey {
  readonly callId: string;
  readonly tag: string;
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

/** One leg's media: its SDP negotiation and its lifetime (rtpengine's offer, answer and delete). */
export interface MediaSession {
  readonly key: MediaSessionKey;
  /** Takes a remote offer and resolves with the local answer; rejects with SdpNegotiationError. */
  answer(offerSdp: string): Promise<string>;
  /** A local offer for a late-offer INVITE (no SDP from the peer) or an INVITE we send. */
  offer(): Promise<string>;
  /** Applies the remote answer to our offer(); rejects with SdpNegotiationError. */
  applyAnswer(answerSdp: string): Promise<void>;
  /** A re-INVITE offer (hold, resume, new address); resolves with the answer. */
  update(offerSdp: string): Promise<string>;
  /**
   * Called once when no RTP or RTCP has arrived for the engine's RTP timeout while the peer's SDP says
   * it sends (`sendrecv`); a packet arriving later re-arms it. Returns an unsubscribe function.
   */
  onInactive(cb: () => void): () => void;
  /** Called once when the session closes, whoever closed it (at once if it is closed). Returns an unsubscribe function. */
  onClose(cb: () => void): () => void;
  stats(): EndpointStats;
  /** Releases the session (rtpengine's delete); it leaves its room. Resolves when done; never rejects. */
  close(): Promise<void>;
  readonly closed: boolean;
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

export interface RecordOptions {
  /**
   * What to call the recording (the call layer passes its Recording sid); the engine decides where
   * it goes and the result says where it is. Default: a name of the engine's.
   */
  readonly name?: string;
  readonly maxLengthMs?: number;
  /** Silence this long (after some sound, or from the start) ends the recording. 0 disables. */
  readonly silenceTimeoutMs?: number;
  /** Keys that end the recording; default none. */
  readonly finishOnKey?: string;
  readonly beep?: boolean;
}

/** A finished recording: 8 kHz mono WAV. */
export interface Recording {
  /** Audio actually recorded; 0 when nothing was heard (or writing it failed). */
  readonly durationMs: number;
  /** Where the engine put it: for the embedded engine a file in `DATA_DIR/recordings/`. */
  readonly location: string;
}

export interface RecordResult extends Recording {
  /** The key that ended the recording, or '' */
  readonly digits: string;
  readonly reason: 'maxLength' | 'silence' | 'finishOnKey' | 'stopped' | 'closed';
}

export interface RecordingHandle {
  stop(): void;
  /** Resolves when the recording ended and was written; never rejects. */
  readonly done: Promise<RecordResult>;
}

/** What the engine does with a leg's media beyond relaying it (rtpengine's play media, recording, DTMF). */
export interface MediaFunctions {
  /** A new play or say stops the current one (`stopped`). */
  play(source: PlaySource, options?: LoopOptions): PlaybackHandle;
  say(text: string, options?: SayOptions): PlaybackHandle;
  /** What the peer says, until a limit, a finish key, stop() or close. */
  record(options: RecordOptions): RecordingHandle;
  /** RFC 4733 events (in-band tones to a peer without telephone-event); `w` is a 0.5 s pause. */
  sendDigits(digits: string): Promise<void>;
  /** Digits that arrived out of band (SIP INFO) enter the same stream as RTP and in-band ones. */
  injectDigit(digit: string): void;
  /** Every digit the peer sends (RFC 4733, in-band, injected), once each. Returns an unsubscribe function. */
  onDigit(cb: (digit: string) => void): () => void;
}

export type Endpoint = MediaSession & MediaFunctions;

/** A member's state in its room (a Dial bridge: LCM Mute). */
export interface MemberState {
  /**
   * What the member says reaches the others as silence (rtpengine's silence media) and is left out of
   * the room's recording; its RFC 4733 events are not relayed. Its digits are still detected.
   */
  readonly muted?: boolean;
  /** Out of the room's audio both ways while it stays a member: it hears its own endpoint (silence, a prompt). */
  readonly hold?: boolean;
}

export interface RoomOptions {
  /** Every member's audio mixed into one recording, written when the room closes (Dial record="true"). */
  readonly record?: { readonly name?: string };
}

/**
 * Endpoints exchanging audio. An endpoint is in at most one room: joining another moves it. The
 * embedded engine's rooms hold two members (a Dial bridge); a conference needs a mixer.
 */
export interface Room {
  /** Adds `endpoint` (moving it from its room, if any), or changes its state when it is a member. */
  join(endpoint: Endpoint, state?: MemberState): Promise<void>;
  /** Changes a member's state; the fields given replace the current ones. */
  update(endpoint: Endpoint, state: MemberState): Promise<void>;
  /** Takes a member out; a no-op for an endpoint that is not one. */
  leave(endpoint: Endpoint): Promise<void>;
  /** Every member leaves; resolves with the recording when one was asked for. */
  close(): Promise<Recording | null>;
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
  /** Rooms created and not yet closed. */
  readonly rooms: number;
  readonly scheduler: SchedulerStats;
}

export interface MediaServer {
  /** A media session with its functions for the leg `key` names. */
  allocate(key: MediaSessionKey): Promise<Endpoint>;
  createRoom(options?: RoomOptions): Promise<Room>;
  stats(): MediaServerStats;
  close(): Promise<void>;
}
