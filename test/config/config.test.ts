import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildConfig, ConfigError, ENV_PREFIX, flagName, OPTIONS, withHttpPort } from '../../src/config.js';

test('defaults match the documented contract', () => {
  const c = buildConfig({}, '/srv/dialtone');
  assert.equal(c.httpPort, 8080);
  assert.equal(c.sipPort, 5080);
  assert.equal(c.dataDir, '/srv/dialtone/data');
  assert.equal(c.databaseUrl, 'sqlite:/srv/dialtone/data/dialtone.db');
  assert.deepEqual(c.rtpPorts, { min: 10000, max: 20000 });
  assert.equal(c.adminPassword, null);
  assert.equal(c.outboundProxy, null);
  assert.equal(c.maxConcurrentCalls, 0);
});

test('an explicit bind address is also the advertised one, and the domain follows it', () => {
  const c = buildConfig({ SIP_BIND: '127.0.0.1', HTTP_PORT: '9000' });
  assert.equal(c.sipExternalAddress, '127.0.0.1');
  assert.equal(c.sipDomain, '127.0.0.1');
  assert.equal(c.publicUrl, 'http://127.0.0.1:9000');
});

test('bad values are refused with the variable named', () => {
  assert.throws(() => buildConfig({ HTTP_PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /DIALTONE_HTTP_PORT/.test(e.message));
  assert.throws(() => buildConfig({ RTP_PORTS: '20000-10000' }), /DIALTONE_RTP_PORTS/);
  assert.throws(() => buildConfig({ DATABASE_URL: 'mysql://x' }), /DIALTONE_DATABASE_URL/);
  assert.throws(() => buildConfig({ LOG_LEVEL: 'loud' }), /DIALTONE_LOG_LEVEL/);
});

test('the README lists every option with its variable and flag', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const o of OPTIONS) {
    assert.ok(readme.includes(`\`${ENV_PREFIX}${o.name}\``), `README misses ${ENV_PREFIX}${o.name}`);
    assert.ok(readme.includes(`\`${flagName(o.name)}\``), `README misses ${flagName(o.name)}`);
  }
});

test('once the HTTP port is known, a derived public URL follows it and an explicit one stays', () => {
  const derived = withHttpPort(buildConfig({ SIP_BIND: '127.0.0.1', HTTP_PORT: '0' }), 41234);
  assert.equal(derived.httpPort, 41234);
  assert.equal(derived.publicUrl, 'http://127.0.0.1:41234');
  const explicit = withHttpPort(buildConfig({ SIP_BIND: '127.0.0.1', HTTP_PORT: '0', PUBLIC_URL: 'https://voice.example.com/' }), 41234);
  assert.equal(explicit.publicUrl, 'https://voice.example.com');
});

test('the Visual Designer settings: RVD defaults, whole numbers >= 1', () => {
  const c = buildConfig({});
  assert.equal(c.designerMaxMediaBytes, 4194304);
  assert.equal(c.designerExternalServiceTimeout, 5000);
  assert.equal(buildConfig({ DESIGNER_MAX_MEDIA_BYTES: '1024', DESIGNER_EXTERNAL_SERVICE_TIMEOUT: '250' }).designerExternalServiceTimeout, 250);
  assert.throws(() => buildConfig({ DESIGNER_MAX_MEDIA_BYTES: '0' }), /DIALTONE_DESIGNER_MAX_MEDIA_BYTES: "0" is not a whole number >= 1/);
  assert.throws(() => buildConfig({ DESIGNER_EXTERNAL_SERVICE_TIMEOUT: '5s' }), /DIALTONE_DESIGNER_EXTERNAL_SERVICE_TIMEOUT/);
});
