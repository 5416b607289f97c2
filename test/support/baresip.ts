import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePortRange } from './net.js';
import { makeRunDir, startProcess, type ManagedProcess } from './process.js';

const WAIT_MS = 10_000;
// baresip colours some lines (registration, errors) even when stdout is not a terminal.
const ANSI_COLOUR = /\x1b\[[0-9;]*m/g;
const RTP_PORTS = 10;

export interface BaresipRegistrar {
  host: string;
  port: number;
  password: string;
  /** Domain of the identity; the registrar's host:port when absent. */
  domain?: string;
  regint?: number;
}

export interface BaresipOptions {
  /** User part of the account; also the run folder label. */
  user?: string;
  displayName?: string;
  /** Register the account with this registrar; a local-only account (regint=0) when absent. */
  registrar?: BaresipRegistrar;
  /** answermode=auto: answer incoming calls by itself. */
  autoAnswer?: boolean;
  /** The microphone: a WAV file (8 kHz mono 16-bit) played once per call; silence when absent. */
  playWav?: string;
  /** Hard deadline for the process, 60 s by default. */
  deadlineMs?: number;
}

export function baresipConfig(o: { sipPort: number; rtpMin: number; playWav?: string; soundDir: string }): string {
  return [
    'poll_method epoll',
    `sip_listen 127.0.0.1:${o.sipPort}`,
    // `lo` is refused; the address works and keeps it from advertising the machine's other address.
    'net_interface 127.0.0.1',
    `rtp_ports ${o.rtpMin}-${o.rtpMin + RTP_PORTS - 1}`,
    'rtp_timeout 0',
    'module_path /usr/lib/baresip/modules',
    'module stdio.so',
    'module g711.so',
    'module aufile.so',
    'module aubridge.so',
    'module sndfile.so',
    'module_app account.so',
    'module_app menu.so',
    o.playWav ? `audio_source aufile,${o.playWav}` : 'audio_source aubridge,silence',
    'audio_player aubridge,speaker',
    'audio_alert aubridge,alert',
    `snd_path ${o.soundDir}`,
    '',
  ].join('\n');
}

export function baresipAccount(o: { user: string; displayName: string; sipPort: number; autoAnswer: boolean; registrar?: BaresipRegistrar }): string {
  const r = o.registrar;
  const aor = r ? `sip:${o.user}@${r.domain ?? `${r.host}:${r.port}`}` : `sip:${o.user}@127.0.0.1:${o.sipPort}`;
  const params = [
    ...(r ? [`auth_user=${o.user}`, `auth_pass=${r.password}`, `regint=${r.regint ?? 300}`] : ['regint=0']),
    // Only a domain that is not the registrar's address needs an outbound proxy (it adds a Route header).
    ...(r?.domain !== undefined && r.domain !== `${r.host}:${r.port}` ? [`outbound="sip:${r.host}:${r.port};transport=udp"`] : []),
    `answermode=${o.autoAnswer ? 'auto' : 'manual'}`,
    'call_transfer=yes',
  ];
  return `"${o.displayName}" <${aor};transport=udp>;${params.join(';')}\n`;
}

/** Received and sent audio of one call, as dumped by the sndfile module. */
export interface BaresipDump {
  /** What this client heard (decoded from the network). */
  received: string;
  /** What this client sent. */
  sent: string;
}

/** One headless baresip, driven through its stdin (stdio UI + menu commands). */
export class Baresip {
  private constructor(
    readonly process: ManagedProcess,
    readonly user: string,
    readonly sipPort: number,
    readonly dir: string,
    readonly soundDir: string,
  ) {}

  static async start(opts: BaresipOptions = {}): Promise<Baresip> {
    const user = opts.user ?? 'baresip';
    const dir = makeRunDir(`baresip-${user}`);
    const configDir = join(dir, 'config');
    const soundDir = join(dir, 'sound');
    mkdirSync(configDir);
    mkdirSync(soundDir);
    // baresip listens for TLS on sipPort+1, so take two neighbours; RTP gets its own block.
    const sipPort = await freePortRange(2);
    const rtpMin = await freePortRange(RTP_PORTS);
    writeFileSync(join(configDir, 'config'), baresipConfig({ sipPort, rtpMin, playWav: opts.playWav, soundDir }));
    writeFileSync(
      join(configDir, 'accounts'),
      baresipAccount({ user, displayName: opts.displayName ?? user, sipPort, autoAnswer: opts.autoAnswer ?? false, registrar: opts.registrar }),
    );
    const proc = startProcess({
      name: 'baresip',
      command: 'baresip',
      args: ['-f', configDir],
      dir,
      env: { ...process.env, HOME: dir },
      deadlineMs: opts.deadlineMs ?? 60_000,
    });
    await proc.waitFor(/baresip is ready\./, WAIT_MS);
    return new Baresip(proc, user, sipPort, dir, soundDir);
  }

  /** The URI at which this client takes direct calls. */
  get uri(): string {
    return `sip:${this.user}@127.0.0.1:${this.sipPort}`;
  }

  /** Sends one menu command; with `expect`, waits for that output after it and returns the match. */
  async command(text: string, expect?: RegExp, deadlineMs = WAIT_MS): Promise<RegExpMatchArray | null> {
    const mark = this.process.mark();
    this.process.write(`${text}\n`);
    return expect ? this.process.waitFor(expect, deadlineMs, mark) : null;
  }

  /** Waits for the registrar's final answer to the account's REGISTER; rejects unless it is 2xx. */
  async register(deadlineMs = WAIT_MS): Promise<void> {
    // e.g. "bob@127.0.0.1: {0/UDP/v4} 200 OK () [1 binding]"
    const m = await this.process.waitFor(/\{\d+\/\w+\/v[46]\} ([1-6]\d\d) [^\n\r]*/, deadlineMs);
    if (!m[1]?.startsWith('2')) throw this.process.failure(`registration failed: ${m[0]}`);
  }

  /** Dials `uri` and waits until the call is established. */
  async dial(uri: string, deadlineMs = WAIT_MS): Promise<void> {
    const m = await this.command(`/dial ${uri}`, /Call established|session closed: [^\n\r]*|Call with \S+ terminated[^\n\r]*/, deadlineMs);
    if (!m?.[0].startsWith('Call established')) throw this.process.failure(`call to ${uri} failed: ${m?.[0]}`);
  }

  /** Waits for an incoming call to be offered (or, with answermode=auto, answered). */
  async incoming(since = 0, deadlineMs = WAIT_MS): Promise<string> {
    const m = await this.process.waitFor(/Incoming call from: [^\n\r]*|answering call on line \d+ from (\S+)/, deadlineMs, since);
    return m[1] ?? m[0];
  }

  /** Answers the ringing call and waits until it is established. */
  async accept(deadlineMs = WAIT_MS): Promise<void> {
    await this.command('/accept', /Call established/, deadlineMs);
  }

  /** Waits for a call to be established (after an auto-answer, for instance). */
  async established(since = 0, deadlineMs = WAIT_MS): Promise<void> {
    await this.process.waitFor(/Call established/, deadlineMs, since);
  }

  /** Hangs up the current call and waits until baresip reports it terminated. */
  async hangup(deadlineMs = WAIT_MS): Promise<void> {
    // A local hangup prints only "call: terminate call"; "Call with ... terminated" follows a remote BYE.
    await this.command('/hangup', /call: terminate call '[^']*' with \S+|Call with \S+ terminated/, deadlineMs);
  }

  /** Waits until a call is terminated (by the peer, or after a transfer). */
  async terminated(since = 0, deadlineMs = WAIT_MS): Promise<void> {
    await this.process.waitFor(/Call with \S+ terminated/, deadlineMs, since);
  }

  /** Blind transfer of the current call (REFER). */
  async transfer(uri: string, deadlineMs = WAIT_MS): Promise<void> {
    await this.command(`/transfer ${uri}`, /Call with \S+ terminated/, deadlineMs);
  }

  /** The registration table (/reginfo): one account a line with its state, e.g. "> sip:bob@127.0.0.1:5080  OK  Expires 300s". */
  async reginfo(): Promise<string> {
    // "--- User Agents (N) ---", one line per account, then a blank line.
    const m = await this.command('/reginfo', /--- User Agents \(\d+\) ---\r?\n(?:[^\n]*\S[^\n]*\n)*?\r?\n/);
    return (m?.[0] ?? '').replace(ANSI_COLOUR, '');
  }

  /** The WAV files sndfile wrote for the most recent call (names carry a timestamp). */
  lastDump(): BaresipDump {
    const files = readdirSync(this.soundDir).sort();
    const received = files.filter((f) => f.endsWith('-dec.wav')).at(-1);
    const sent = files.filter((f) => f.endsWith('-enc.wav')).at(-1);
    if (!received || !sent) throw this.process.failure(`no audio dump in ${this.soundDir}`);
    return { received: join(this.soundDir, received), sent: join(this.soundDir, sent) };
  }

  /**
   * Quits through the console, and kills the process if that does not end it: /quit waits for the
   * un-REGISTER to be answered, which never happens when the registrar is already gone.
   */
  async stop(quitDeadlineMs = 2000): Promise<void> {
    if (!this.process.running) return;
    this.process.write('/quit\n');
    const late = new Promise<'late'>((r) => setTimeout(r, quitDeadlineMs, 'late').unref());
    if ((await Promise.race([this.process.exited, late])) === 'late') await this.process.stop(1000);
  }
}
