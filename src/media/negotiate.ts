import { SdpNegotiationError, type Direction } from './media-server.js';
import type { SdpMedia, SdpSession } from './sdp.js';

export type Codec = 'PCMU' | 'PCMA';

/** What one side of a call agreed on: enough to send and receive RTP. */
export interface MediaAgreement {
  readonly codec: Codec;
  readonly pt: number;
  /** Payload type of telephone-event/8000, or null when the peer does not do RFC 4733. */
  readonly dtmfPt: number | null;
  /** Where to send; null when the peer holds with c=0.0.0.0 or port 0. */
  readonly remote: { readonly address: string; readonly port: number } | null;
  /** Our direction as written in our SDP. */
  readonly localDirection: Direction;
  readonly audioIndex: number;
  readonly otherMedia: readonly SdpMedia[];
}

export const OFFERED_FORMATS = [
  { pt: 0, encoding: 'PCMU', clockRate: 8000 },
  { pt: 8, encoding: 'PCMA', clockRate: 8000 },
  { pt: 101, encoding: 'telephone-event', clockRate: 8000, fmtp: '0-16' },
] as const;

const MIRROR: Record<Direction, Direction> = { sendrecv: 'sendrecv', sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive' };

export function sends(d: Direction): boolean {
  return d === 'sendrecv' || d === 'sendonly';
}

export function receives(d: Direction): boolean {
  return d === 'sendrecv' || d === 'recvonly';
}

function audioLine(session: SdpSession): { media: SdpMedia; index: number } {
  const index = session.media.findIndex((m) => m.type === 'audio' && m.port !== 0);
  const media = session.media[index];
  if (!media) fail(session.media.some((m) => m.type === 'audio') ? 'no active audio stream (port 0)' : 'no audio m= line');
  if (media.proto !== 'RTP/AVP' && media.proto !== 'RTP/AVPF') {
    fail(`unsupported audio transport ${media.proto} (only RTP/AVP: no SRTP/DTLS)`);
  }
  return { media, index };
}

function fail(reason: string): never {
  throw new SdpNegotiationError(reason);
}

function describe(media: SdpMedia): string {
  return media.formats.map((pt) => {
    const map = media.rtpmap.get(pt);
    return map ? `${map.encoding}/${map.clockRate}` : String(pt);
  }).join(', ');
}

function pickCodec(media: SdpMedia): { codec: Codec; pt: number } {
  for (const pt of media.formats) {
    const map = media.rtpmap.get(pt);
    if (map && map.clockRate === 8000 && map.channels === 1 && (map.encoding === 'PCMU' || map.encoding === 'PCMA')) {
      return { codec: map.encoding, pt };
    }
  }
  return fail(`no common codec: offered ${describe(media) || 'none'}; supported PCMU/8000, PCMA/8000`);
}

function pickDtmf(media: SdpMedia): number | null {
  for (const pt of media.formats) {
    const map = media.rtpmap.get(pt);
    if (map && map.encoding === 'TELEPHONE-EVENT' && map.clockRate === 8000) return pt;
  }
  return null;
}

function remoteOf(media: SdpMedia): MediaAgreement['remote'] {
  if (!media.address || media.address === '0.0.0.0' || media.address === '::' || media.port === 0) return null;
  return { address: media.address, port: media.port };
}

/** RFC 3264 answer to a remote offer: the offerer's first G.711 codec, its telephone-event PT, the mirrored direction. */
export function answerTo(offer: SdpSession): MediaAgreement {
  const { media, index } = audioLine(offer);
  const { codec, pt } = pickCodec(media);
  return {
    codec,
    pt,
    dtmfPt: pickDtmf(media),
    remote: remoteOf(media),
    localDirection: MIRROR[media.direction],
    audioIndex: index,
    otherMedia: offer.media.filter((_, i) => i !== index),
  };
}

/** The agreement an answer to our own offer (OFFERED_FORMATS, sendrecv) makes. */
export function agreementFromAnswer(answer: SdpSession): MediaAgreement {
  const { media, index } = audioLine(answer);
  const offered = new Set<number>(OFFERED_FORMATS.map((f) => f.pt));
  const { codec, pt } = pickCodec(media);
  if (!offered.has(pt)) fail(`answer uses payload type ${pt} which was not offered`);
  const dtmfPt = pickDtmf(media);
  return {
    codec,
    pt,
    dtmfPt: dtmfPt === 101 ? 101 : null,
    remote: remoteOf(media),
    localDirection: MIRROR[media.direction],
    audioIndex: index,
    otherMedia: [],
  };
}
