import { readdirSync, readFileSync } from 'node:fs';

/** One reading of a process from /proc: resident memory, CPU time used so far, open descriptors. */
export interface ProcSample {
  readonly at: number;
  readonly rssMb: number;
  readonly cpuSeconds: number;
  readonly fds: number;
}

// USER_HZ is 100 on every Linux this runs on; /proc/<pid>/stat counts utime and stime in it.
const TICKS_PER_SECOND = 100;

export function sampleProcess(pid: number): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name in parentheses may hold spaces, so fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { at: Date.now(), rssMb: rssKb / 1024, cpuSeconds: ticks / TICKS_PER_SECOND, fds: readdirSync(`/proc/${pid}/fd`).length };
}

/** CPU use between two samples, in % of one core. */
export function cpuPercent(from: ProcSample, to: ProcSample): number {
  const wall = (to.at - from.at) / 1000;
  return wall > 0 ? ((to.cpuSeconds - from.cpuSeconds) / wall) * 100 : NaN;
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/**
 * Datagrams the kernel dropped because a UDP socket's receive buffer was full (RcvbufErrors in
 * /proc/net/snmp). System-wide: it counts every process on the machine, not only the node.
 */
export function udpReceiveBufferErrors(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
  const header = lines[0]?.split(/\s+/) ?? [];
  const values = lines[1]?.split(/\s+/) ?? [];
  return Number(values[header.indexOf('RcvbufErrors')] ?? NaN);
}

/**
 * Datagrams the kernel dropped on the UDP socket bound to 127.0.0.1:`port` since it was opened (the
 * `drops` column of /proc/net/udp): the node's own SIP socket, as opposed to the machine-wide count.
 */
export function udpSocketDrops(port: number): number {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const row = readFileSync('/proc/net/udp', 'utf8').split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f[1] === local);
  return Number(row?.[12] ?? NaN);
}
