#!/usr/bin/env node
import { Command, Option } from 'commander';
import { buildConfig, ConfigError, ENV_PREFIX, flagName, fromEnvironment, OPTIONS } from './config.js';
import { createLogger } from './log.js';
import { BootstrapError } from './api/bootstrap.js';
import { startNode } from './node.js';

const program = new Command('dialtone').description('Dialtone communications platform');

const serve = program.command('serve').description('run a complete node: SIP, media, RCML and the REST API');
for (const o of OPTIONS) {
  serve.addOption(new Option(`${flagName(o.name)} <value>`, `${o.description} (env ${ENV_PREFIX}${o.name}, default ${o.shownDefault})`));
}

serve.action(async (flags: Record<string, string | undefined>) => {
  const raw = fromEnvironment();
  for (const o of OPTIONS) {
    const camel = flagName(o.name).slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const v = flags[camel];
    if (v !== undefined) raw[o.name] = v;
  }
  let config;
  try {
    config = buildConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`dialtone: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  let node;
  try {
    node = await startNode(config, log);
  } catch (err) {
    // A refused set-up (weak admin password, port in use) is the operator's to fix: say it plainly.
    const message = err instanceof Error ? err.message : String(err);
    log.fatal({ err }, 'start-up failed');
    process.stderr.write(`dialtone: cannot start: ${message}\n`);
    process.exit(err instanceof BootstrapError ? 2 : 1);
  }
  const running = node;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
});

await program.parseAsync();
