import { SdpNegotiationError, type Direction } from './media-server.js';

/** The parts of SDP (RFC 4566) that audio offer/answer needs; everything else is ignored. */
export interface SdpRtpMap {
  readonly encoding: string;
  readonly clockRate: number;
  readonly channels: number;
}

export interface SdpMedia {
  readonly type: string;
  readonly port: number;
  readonly proto: string;
  /** Payload types in the offerer's order of preference. */
  readonly formats: readonly number[];
  readonly rtpmap: ReadonlyMap<number, SdpRtpMap>;
  readonly fmtp: ReadonlyMap<number, string>;
  /** Media-level c= address, falling back to the session-level one. */
  readonly address: string | null;
  readonly direction: Direction;
  readonly ptime: number | null;
}

export interface SdpSession {
  readonly address: string | null;
  readonly media: readonly SdpMedia[];
}

const DIRECTIONS: readonly string[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

/** Static payload types of RFC 3551 that a peer may list without an rtpmap. */
const STATIC: ReadonlyMap<number, SdpRtpMap> = new Map([
  [0, { encoding: 'PCMU', clockRate: 8000, channels: 1 }],
  [8, { encoding: 'PCMA', clockRate: 8000, channels: 1 }],
  [18, { encoding: 'G729', clockRate: 8000, channels: 1 }],
]);

function fail(reason: string): never {
  throw new SdpNegotiationError(reason);
}

interface MediaDraft {
  type: string;
  port: number;
  proto: string;
  formats: number[];
  rtpmap: Map<number, SdpRtpMap>;
  fmtp: Map<number, string>;
  address: string | null;
  direction: Direction | null;
  ptime: number | null;
}

function connectionAddress(value: string): string {
  const parts = value.trim().split(/\s+/);
  if (parts.length < 3 || parts[0] !== 'IN' || (parts[1] !== 'IP4' && parts[1] !== 'IP6')) {
    fail(`SDP: malformed c= line "${value}"`);
  }
  return (parts[2] ?? '').split('/')[0] ?? '';
}

export function parseSdp(text: string): SdpSession {
  if (typeof text !== 'string' || text.trim() === '') fail('SDP: empty body');
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (!lines[0]?.startsWith('v=')) fail('SDP: first line must be v=');
  let sessionAddress: string | null = null;
  let sessionDirection: Direction = 'sendrecv';
  const media: MediaDraft[] = [];
  for (const line of lines) {
    if (line[1] !== '=') fail(`SDP: malformed line "${line.slice(0, 40)}"`);
    const kind = line[0];
    const value = line.slice(2);
    const current = media[media.length - 1];
    if (kind === 'm') {
      const [type, portText, proto, ...fmts] = value.split(/\s+/);
      const port = Number((portText ?? '').split('/')[0]);
      if (!type || !proto || !Number.isInteger(port) || port < 0 || port > 65535 || fmts.length === 0) {
        fail(`SDP: malformed m= line "${value}"`);
      }
      const formats = proto.includes('RTP') ? fmts.map((f) => {
        const n = Number(f);
        if (!Number.isInteger(n) || n < 0 || n > 127) fail(`SDP: bad payload type "${f}" in m= line`);
        return n;
      }) : [];
      media.push({ type, port, proto, formats, rtpmap: new Map(), fmtp: new Map(), address: null, direction: null, ptime: null });
    } else if (kind === 'c') {
      const address = connectionAddress(value);
      if (current) current.address = address;
      else sessionAddress = address;
    } else if (kind === 'a') {
      const colon = value.indexOf(':');
      const name = colon < 0 ? value : value.slice(0, colon);
      const arg = colon < 0 ? '' : value.slice(colon + 1);
      if (DIRECTIONS.includes(name)) {
        if (current) current.direction = name as Direction;
        else sessionDirection = name as Direction;
      } else if (current && name === 'rtpmap') {
        const m = /^(\d+)\s+([^/\s]+)\/(\d+)(?:\/(\d+))?$/.exec(arg.trim());
        if (!m) fail(`SDP: malformed a=rtpmap "${arg}"`);
        current.rtpmap.set(Number(m[1]), { encoding: (m[2] ?? '').toUpperCase(), clockRate: Number(m[3]), channels: m[4] ? Number(m[4]) : 1 });
      } else if (current && name === 'fmtp') {
        const m = /^(\d+)\s+(.*)$/.exec(arg.trim());
        if (m) current.fmtp.set(Number(m[1]), m[2] ?? '');
      } else if (current && name === 'ptime') {
        const n = Number(arg);
        if (Number.isFinite(n) && n > 0) current.ptime = n;
      }
    }
  }
  return {
    address: sessionAddress,
    media: media.map((m) => {
      for (const pt of m.formats) {
        const known = STATIC.get(pt);
        if (!m.rtpmap.has(pt) && known) m.rtpmap.set(pt, known);
      }
      return { ...m, address: m.address ?? sessionAddress, direction: m.direction ?? sessionDirection };
    }),
  };
}

export interface BuildSdpInput {
  readonly sessionId: number;
  readonly version: number;
  readonly address: string;
  readonly port: number;
  readonly formats: readonly { readonly pt: number; readonly encoding: string; readonly clockRate: number; readonly fmtp?: string }[];
  readonly direction: Direction;
  /** Extra m= lines to reject (port 0) so the answer has as many m= lines as the offer. */
  readonly rejected?: readonly SdpMedia[];
  /** Index of the audio m= line among all m= lines of the offer. */
  readonly audioIndex?: number;
}

export function buildSdp(input: BuildSdpInput): string {
  const ipv = input.address.includes(':') ? 'IP6' : 'IP4';
  const audio = [
    `m=audio ${input.port} RTP/AVP ${input.formats.map((f) => f.pt).join(' ')}`,
    ...input.formats.flatMap((f) => [`a=rtpmap:${f.pt} ${f.encoding}/${f.clockRate}`, ...(f.fmtp ? [`a=fmtp:${f.pt} ${f.fmtp}`] : [])]),
    'a=ptime:20',
    `a=${input.direction}`,
  ];
  const rejected = (input.rejected ?? []).map((m) => [`m=${m.type} 0 ${m.proto} ${m.formats.length > 0 ? m.formats.join(' ') : '0'}`]);
  const index = input.audioIndex ?? 0;
  const mediaBlocks = [...rejected.slice(0, index), audio, ...rejected.slice(index)];
  return [
    'v=0',
    `o=dialtone ${input.sessionId} ${input.version} IN ${ipv} ${input.address}`,
    's=dialtone',
    `c=IN ${ipv} ${input.address}`,
    't=0 0',
    ...mediaBlocks.flat(),
    '',
  ].join('\r\n');
}
