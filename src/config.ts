import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Every setting of a node, in one table. Each one is read from an environment variable with the
 * `DIALTONE_` prefix and may be overridden by the matching CLI flag; `README.md` lists them all (a test
 * checks that it does).
 */
export interface Config {
  readonly httpPort: number;
  readonly httpBind: string;
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly adminPassword: string | null;
  readonly logLevel: string;
  readonly sipPort: number;
  readonly sipBind: string;
  readonly sipExternalAddress: string;
  readonly sipDomain: string;
  readonly rtpPorts: { readonly min: number; readonly max: number };
  /** Seconds without RTP/RTCP from a peer that should be sending before its call is hung up; 0 never. */
  readonly rtpTimeout: number;
  readonly outboundProxy: string | null;
  readonly publicUrl: string;
  /** True when `publicUrl` was derived from the external address and HTTP port rather than set. */
  readonly publicUrlIsDefault: boolean;
  readonly maxConcurrentCalls: number;
  readonly sipMaxPendingTransactions: number;
  /** Largest media file a Visual Designer project accepts, in bytes (RVD `maxMediaFileSize`). */
  readonly designerMaxMediaBytes: number;
  /** Cap on a Visual Designer External Service request, in milliseconds (RVD `externalServiceTimeout`). */
  readonly designerExternalServiceTimeout: number;
}

type Raw = Readonly<Record<string, string | undefined>>;

interface OptionSpec {
  readonly key: keyof Config;
  /** Name without prefix: `HTTP_PORT` is read from `DIALTONE_HTTP_PORT` and `--http-port`. */
  readonly name: string;
  readonly description: string;
  /** Default as shown to users; `null` when computed from other settings. */
  readonly shownDefault: string;
}

export const OPTIONS: readonly OptionSpec[] = [
  { key: 'httpPort', name: 'HTTP_PORT', shownDefault: '8080', description: 'TCP port of the REST API and /health' },
  { key: 'httpBind', name: 'HTTP_BIND', shownDefault: '0.0.0.0', description: 'address the HTTP server listens on' },
  { key: 'dataDir', name: 'DATA_DIR', shownDefault: './data', description: 'folder for the SQLite database, recordings and the audio cache' },
  { key: 'databaseUrl', name: 'DATABASE_URL', shownDefault: 'sqlite:<data dir>/dialtone.db', description: '`sqlite:PATH` or `postgres://user:pass@host:port/db`' },
  { key: 'adminPassword', name: 'ADMIN_PASSWORD', shownDefault: '(unset)', description: 'at first start, the administrator password; makes the account `active`' },
  { key: 'logLevel', name: 'LOG_LEVEL', shownDefault: 'info', description: 'pino level: trace, debug, info, warn, error, fatal, silent' },
  { key: 'sipPort', name: 'SIP_PORT', shownDefault: '5080', description: 'SIP port, UDP and TCP' },
  { key: 'sipBind', name: 'SIP_BIND', shownDefault: '0.0.0.0', description: 'address the SIP transports listen on' },
  { key: 'sipExternalAddress', name: 'SIP_EXTERNAL_ADDRESS', shownDefault: '(the bind address, or the first non-loopback IPv4 when binding 0.0.0.0)', description: 'address advertised in Via, Contact, Record-Route and SDP (set it behind NAT)' },
  { key: 'sipDomain', name: 'SIP_DOMAIN', shownDefault: '(the external address)', description: 'the default organization\'s domain: the digest realm and the host part that counts as "this node"' },
  { key: 'rtpPorts', name: 'RTP_PORTS', shownDefault: '10000-20000', description: 'UDP port range of the media engine (RTP on even ports, RTCP on the next odd one)' },
  { key: 'rtpTimeout', name: 'RTP_TIMEOUT', shownDefault: '60', description: 'seconds without RTP or RTCP from an answered peer that is not on hold before its call is hung up; 0 disables' },
  { key: 'outboundProxy', name: 'OUTBOUND_PROXY', shownDefault: '(unset)', description: 'SIP URI or host:port where `<Dial><Number>` sends numbers not hosted here' },
  { key: 'publicUrl', name: 'PUBLIC_URL', shownDefault: 'http://<external address>:<http port>', description: 'absolute base URL used in links such as recording `file_uri`' },
  { key: 'maxConcurrentCalls', name: 'MAX_CONCURRENT_CALLS', shownDefault: '0 (no limit)', description: 'above this many live calls new INVITEs get 503 with Retry-After' },
  { key: 'sipMaxPendingTransactions', name: 'SIP_MAX_PENDING_TRANSACTIONS', shownDefault: '5000', description: 'above this many server transactions still waiting for their final response, new INVITEs and REGISTERs get 503 with Retry-After' },
  { key: 'designerMaxMediaBytes', name: 'DESIGNER_MAX_MEDIA_BYTES', shownDefault: '4194304', description: 'largest media file (WAV or MP3) a Visual Designer project accepts, in bytes' },
  { key: 'designerExternalServiceTimeout', name: 'DESIGNER_EXTERNAL_SERVICE_TIMEOUT', shownDefault: '5000', description: 'milliseconds a Visual Designer External Service step waits at most for its answer (a step may ask for less)' },
];

export const ENV_PREFIX = 'DIALTONE_';

export function flagName(name: string): string {
  return `--${name.toLowerCase().replaceAll('_', '-')}`;
}

export class ConfigError extends Error {}

function firstExternalIpv4(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const nic of list ?? []) {
      if (nic.family === 'IPv4' && !nic.internal) return nic.address;
    }
  }
  return '127.0.0.1';
}

function port(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${ENV_PREFIX}${name}: "${text}" is not a port number`);
  return n;
}

function count(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${ENV_PREFIX}${name}: "${text}" is not a whole number >= 0`);
  return n;
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${ENV_PREFIX}${name}: "${text}" is not a whole number >= 1`);
  return n;
}

function portRange(name: string, text: string): { min: number; max: number } {
  const m = /^(\d+)-(\d+)$/.exec(text.trim());
  const min = m ? port(name, m[1] ?? '') : NaN;
  const max = m ? port(name, m[2] ?? '') : NaN;
  if (!m || min >= max) throw new ConfigError(`${ENV_PREFIX}${name}: "${text}" is not a range like 10000-20000`);
  return { min, max };
}

/**
 * Builds the configuration from raw values keyed by option name (`HTTP_PORT`), where CLI flags have
 * already been merged over the environment.
 */
export function buildConfig(raw: Raw, cwd: string = process.cwd()): Config {
  const get = (name: string): string | undefined => {
    const v = raw[name];
    return v === undefined || v === '' ? undefined : v;
  };
  const httpPort = port('HTTP_PORT', get('HTTP_PORT') ?? '8080');
  const dataDir = resolve(cwd, get('DATA_DIR') ?? './data');
  const sipBind = get('SIP_BIND') ?? '0.0.0.0';
  const sipExternalAddress = get('SIP_EXTERNAL_ADDRESS') ?? (sipBind === '0.0.0.0' ? firstExternalIpv4() : sipBind);
  const logLevel = get('LOG_LEVEL') ?? 'info';
  if (!['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(logLevel)) {
    throw new ConfigError(`${ENV_PREFIX}LOG_LEVEL: "${logLevel}" is not a log level`);
  }
  const databaseUrl = get('DATABASE_URL') ?? `sqlite:${join(dataDir, 'dialtone.db')}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError(`${ENV_PREFIX}DATABASE_URL: "${databaseUrl}" must start with sqlite: or postgres://`);
  }
  return {
    httpPort,
    httpBind: get('HTTP_BIND') ?? '0.0.0.0',
    dataDir,
    databaseUrl,
    adminPassword: get('ADMIN_PASSWORD') ?? null,
    logLevel,
    sipPort: port('SIP_PORT', get('SIP_PORT') ?? '5080'),
    sipBind,
    sipExternalAddress,
    sipDomain: get('SIP_DOMAIN') ?? sipExternalAddress,
    rtpPorts: portRange('RTP_PORTS', get('RTP_PORTS') ?? '10000-20000'),
    rtpTimeout: count('RTP_TIMEOUT', get('RTP_TIMEOUT') ?? '60'),
    outboundProxy: get('OUTBOUND_PROXY') ?? null,
    publicUrl: (get('PUBLIC_URL') ?? defaultPublicUrl(sipExternalAddress, httpPort)).replace(/\/+$/, ''),
    publicUrlIsDefault: get('PUBLIC_URL') === undefined,
    maxConcurrentCalls: count('MAX_CONCURRENT_CALLS', get('MAX_CONCURRENT_CALLS') ?? '0'),
    sipMaxPendingTransactions: count('SIP_MAX_PENDING_TRANSACTIONS', get('SIP_MAX_PENDING_TRANSACTIONS') ?? '5000'),
    designerMaxMediaBytes: positive('DESIGNER_MAX_MEDIA_BYTES', get('DESIGNER_MAX_MEDIA_BYTES') ?? '4194304'),
    designerExternalServiceTimeout: positive('DESIGNER_EXTERNAL_SERVICE_TIMEOUT', get('DESIGNER_EXTERNAL_SERVICE_TIMEOUT') ?? '5000'),
  };
}

function defaultPublicUrl(host: string, httpPort: number): string {
  return `http://${host}:${httpPort}`;
}

/** The same configuration once the HTTP port is known (port 0 resolved): a derived public URL follows it. */
export function withHttpPort(config: Config, httpPort: number): Config {
  return {
    ...config,
    httpPort,
    publicUrl: config.publicUrlIsDefault ? defaultPublicUrl(config.sipExternalAddress, httpPort) : config.publicUrl,
  };
}

/** Raw values from the environment, keyed by option name. */
export function fromEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const raw: Record<string, string | undefined> = {};
  for (const o of OPTIONS) raw[o.name] = env[ENV_PREFIX + o.name];
  return raw;
}
