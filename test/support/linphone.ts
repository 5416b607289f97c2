import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, freePortRange } from './net.js';
import { makeRunDir, startProcess, type ManagedProcess } from './process.js';

const WAIT_MS = 10_000;
const RTP_PORTS = 10;

export interface LinphoneRegistrar {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Domain of the identity; the registrar's host:port when absent. */
  domain?: string;
  expires?: number;
}

export interface LinphoneOptions {
  /** User part of the identity (From of calls); also the run folder label. */
  user?: string;
  displayName?: string;
  /** Register with this registrar at start; no proxy (direct calls only) when absent. */
  registrar?: LinphoneRegistrar;
  /** Answer incoming calls by itself (-a). */
  autoAnswer?: boolean;
  /** Hard deadline for the process, 60 s by default. */
  deadlineMs?: number;
}

/** The INI linphonec reads. Every key here was needed on loopback; docs/testing.md says why. */
export function linphoneConfig(o: { user: string; displayName: string; sipPort: number; rtpMin: number; registrar?: LinphoneRegistrar }): string {
  const lines = [
    '[sip]',
    `contact="${o.displayName}" <sip:${o.user}@127.0.0.1:${o.sipPort}>`,
    `sip_port=${o.sipPort}`,
    'sip_tcp_port=0',
    'sip_tls_port=0',
    'bind_address=127.0.0.1',
    'use_ipv6=0',
    'ipv6_migration_done=1',
    'use_rport=1',
    'guess_hostname=0',
    '[rtp]',
    'bind_address=127.0.0.1',
    `audio_rtp_port=${o.rtpMin}-${o.rtpMin + RTP_PORTS - 1}`,
    'nortp_timeout=3600',
    '[video]',
    'enabled=0',
    'display=0',
    'capture=0',
  ];
  const r = o.registrar;
  if (r) {
    const domain = r.domain ?? `${r.host}:${r.port}`;
    lines.push(
      '[proxy_0]',
      `reg_proxy=<sip:${r.host}:${r.port};transport=udp>`,
      `reg_identity="${o.displayName}" <sip:${r.user}@${domain}>`,
      `reg_expires=${r.expires ?? 3600}`,
      'reg_sendregister=1',
      '[auth_info_0]',
      `username=${r.user}`,
      `userid=${r.user}`,
      `passwd=${r.password}`,
      'realm=',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One headless linphonec, driven through its stdin; see docs/testing.md for the lines it prints. */
export class Linphone {
  private constructor(
    readonly process: ManagedProcess,
    readonly user: string,
    readonly sipPort: number,
    readonly rtpPorts: { min: number; max: number },
    readonly dir: string,
  ) {}

  static async start(opts: LinphoneOptions = {}): Promise<Linphone> {
    const user = opts.user ?? 'linphone';
    const dir = makeRunDir(`linphonec-${user}`);
    const sipPort = await freePort();
    const rtpMin = await freePortRange(RTP_PORTS);
    const configPath = join(dir, 'linphonerc');
    writeFileSync(configPath, linphoneConfig({ user, displayName: opts.displayName ?? user, sipPort, rtpMin, registrar: opts.registrar }));
    // Without this folder liblinphone aborts its start silently and never opens its SIP port.
    mkdirSync(join(dir, '.local/share/linphone'), { recursive: true });
    const proc = startProcess({
      name: 'linphonec',
      command: 'linphonec',
      // -d 6 without -l sends the library log to stdout, which holds the only registration lines.
      args: ['-c', configPath, '-d', '6', ...(opts.autoAnswer ? ['-a'] : [])],
      dir,
      env: { ...process.env, HOME: dir },
      deadlineMs: opts.deadlineMs ?? 60_000,
    });
    const phone = new Linphone(proc, user, sipPort, { min: rtpMin, max: rtpMin + RTP_PORTS - 1 }, dir);
    await proc.waitFor(/Creating listening point \[[^\]]*\] on \[sip:[^\]]*\]/, WAIT_MS);
    await phone.command('soundcard use files', /Using wav files instead of soundcard\./);
    return phone;
  }

  /** The URI at which this client takes direct calls. */
  get uri(): string {
    return `sip:${this.user}@127.0.0.1:${this.sipPort}`;
  }

  /** Sends one console command; with `expect`, waits for that output after it and returns the match. */
  async command(text: string, expect?: RegExp, deadlineMs = WAIT_MS): Promise<RegExpMatchArray | null> {
    const mark = this.process.mark();
    this.process.write(`${text}\n`);
    return expect ? this.process.waitFor(expect, deadlineMs, mark) : null;
  }

  /** Sets the WAV file used as microphone for the next and current calls. */
  async play(wavPath: string): Promise<void> {
    await this.command(`play ${wavPath}`);
  }

  /** Sets the WAV file that records what this client hears. */
  async record(wavPath: string): Promise<void> {
    await this.command(`record ${wavPath}`);
  }

  /** Waits until the account configured at start is registered; rejects when registration fails. */
  async register(deadlineMs = WAIT_MS): Promise<void> {
    const m = await this.process.waitFor(/moving from state \[\w+\] to \[LinphoneRegistration(Ok|Failed)\]/, deadlineMs);
    if (m[1] !== 'Ok') throw this.process.failure('registration failed');
  }

  /** Calls `uri` and waits until the call is connected; returns linphonec's call id. */
  async call(uri: string, deadlineMs = WAIT_MS): Promise<number> {
    const m = await this.command(`call ${uri}`, /Call (\d+) with [^\n]*? (connected|error|ended|declined)\b[^\n]*/, deadlineMs);
    if (m?.[2] !== 'connected') throw this.process.failure(`call to ${uri} failed: ${m?.[0]}`);
    return Number(m[1]);
  }

  /** Waits for an incoming call to be offered (or, with -a, answered); returns its id and caller. */
  async incoming(since = 0, deadlineMs = WAIT_MS): Promise<{ id: number; from: string }> {
    const m = await this.process.waitFor(/Receiving new incoming call from ([^\n]+), assigned id (\d+)/, deadlineMs, since);
    return { id: Number(m[2]), from: m[1] ?? '' };
  }

  /** Answers the ringing call and waits until it is connected. */
  async answer(deadlineMs = WAIT_MS): Promise<void> {
    await this.command('answer', /Call \d+ with [^\n]*? connected/, deadlineMs);
  }

  /** Waits for a call to be connected (after an auto-answer, for instance). */
  async connected(since = 0, deadlineMs = WAIT_MS): Promise<void> {
    await this.process.waitFor(/Call \d+ with [^\n]*? connected/, deadlineMs, since);
  }

  /** Hangs up the current call and waits until linphonec reports it ended. */
  async terminate(deadlineMs = WAIT_MS): Promise<void> {
    await this.command('terminate', /Call \d+ with [^\n]*? ended|No active calls/, deadlineMs);
  }

  /** Waits until linphonec reports a call ended (the peer hung up, or a transfer completed). */
  async ended(since = 0, deadlineMs = WAIT_MS): Promise<void> {
    await this.process.waitFor(/Call \d+ with [^\n]*? ended/, deadlineMs, since);
  }

  /** Blind transfer of the current call (REFER); waits until the transferee reports (NOTIFY) that the target answered. */
  async transfer(uri: string, deadlineMs = WAIT_MS): Promise<void> {
    await this.command(`transfer ${uri}`, TRANSFER_DONE, deadlineMs);
  }

  /** Quits through the console, and kills the process if that does not end it. */
  async stop(quitDeadlineMs = 3000): Promise<void> {
    if (!this.process.running) return;
    this.process.write('quit\n');
    const late = new Promise<'late'>((r) => setTimeout(r, quitDeadlineMs, 'late').unref());
    if ((await Promise.race([this.process.exited, late])) === 'late') await this.process.stop(1000);
  }
}

/** Printed by linphonec as transferor once the NOTIFY with the target's final answer arrives. */
const TRANSFER_DONE = /The distant endpoint [^\n]* of call \d+ has been transfered/;
