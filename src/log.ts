import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; every module takes a child logger with its own `module` field. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'dialtone' } });
}
