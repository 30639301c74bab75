import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { createPrivateKey } from 'node:crypto';
import { encodeCosignerKey, encodeVerifierKey } from '@ledgerline/integrity';

const ROOT = path.resolve(__dirname, '../..');
type Service = {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  secrets?: string[];
  command?: string[];
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
};
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
};
const services = compose.services;
/** Jobs that run once before the API starts (restart "no"): they finish instead of staying healthy. */
const ONE_SHOTS = ['db-migrate', 'esdb-setup'];

/** What deploy/generate-secrets.sh writes, in a temporary folder. */
function generatedSecrets(): Record<string, string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-secrets-'));
  try {
    execFileSync('bash', [path.join(ROOT, 'deploy/generate-secrets.sh'), dir], { stdio: 'ignore' });
    const read = (name: string) => readFileSync(path.join(dir, name), 'utf8').trim();
    const witnessKeys = [1, 2].map((n) => encodeCosignerKey(`witness${n}.ledgerline.example/w`, createPrivateKey(read(`witness${n}_key.pem`))));
    return {
      ...Object.fromEntries(['eventstore_url', 'eventstore_admin_url', 'eventstore_verifier_url', 'read_db_url', 'read_db_owner_url', 'witness_vkeys', 'log_vkey'].map((n) => [n, read(n)])),
      expected_witness_vkeys: witnessKeys.join(','),
      expected_log_vkey: encodeVerifierKey('ledgerline.example/log', createPrivateKey(read('checkpoint_key.pem'))),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('docker-compose.yml', () => {
  it('names every service the scale-out deployment needs', () => {
    expect(Object.keys(services).sort()).toEqual(['api1', 'api2', 'db-migrate', 'edge', 'esdb-setup', 'esdb1', 'esdb2', 'esdb3', 'postgres', 'redis', 'witness1', 'witness2', 'worker']);
  });

  it('gives every long-running service a healthcheck (the one-shot jobs run once and exit)', () => {
    for (const [name, service] of Object.entries(services)) {
      if (ONE_SHOTS.includes(name)) {
        expect({ name, restart: service.restart }).toEqual({ name, restart: 'no' });
        continue;
      }
      expect({ name, healthcheck: (service.healthcheck?.test.length ?? 0) > 0 }).toEqual({ name, healthcheck: true });
    }
  });

  it('writes no secret in plain text: secrets come from files', () => {
    const secretName = /(SECRET|PASSWORD|TOKEN|KEY|_URL)$/;
    for (const [name, service] of Object.entries(services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (!secretName.test(variable) || variable.endsWith('_FILE')) continue;
        // Allowed: interpolated from the operator's environment, a path to a mounted file, or a URL without credentials.
        const ok = /^(\$\{|\/)/.test(String(value)) || /^redis:\/\/[a-z0-9.-]+:\d+$/.test(String(value));
        expect({ name, variable, ok }).toEqual({ name, variable, ok: true });
      }
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        // Ledgerline's own *_FILE variables point at mounted secrets (KurrentDB's name certificate paths).
        if (service.build !== undefined && variable.endsWith('_FILE')) expect(String(value)).toMatch(/^\/run\/secrets\//);
      }
    }
    for (const secret of Object.values(compose.secrets)) expect(secret.file).toMatch(/^\.\/deploy\/secrets\//);
  });

  it('gives the nodes and the API one maximum append size, set explicitly', () => {
    const limits = ['esdb1', 'esdb2', 'esdb3'].map((name) => services[name].environment?.KURRENTDB_MAX_APPEND_SIZE);
    expect(limits).toEqual(['1048576', '1048576', '1048576']);
    for (const name of ['api1', 'api2', 'worker']) expect(services[name].environment?.EVENTSTORE_MAX_APPEND_BYTES).toBe('1048576');
  });

  it('keeps TLS on everywhere it crosses a network boundary', () => {
    for (const name of ['esdb1', 'esdb2', 'esdb3']) {
      const env = services[name].environment ?? {};
      expect(env.KURRENTDB_INSECURE).toBe('false');
      expect(env.KURRENTDB_CERTIFICATE_FILE).toMatch(/node\.crt$/);
      expect(env.KURRENTDB_TRUSTED_ROOT_CERTIFICATES_PATH).toBeDefined();
    }
    expect(services.edge.environment?.PROXY_SSL).toBe('on');
    for (const url of Object.values(generatedSecrets()).filter((u) => u.startsWith('esdb://'))) {
      expect(url).toMatch(/^esdb:\/\/[^@]+@esdb1:2113,esdb2:2113,esdb3:2113\?tls=true&tlsCAFile=\/etc\/ledgerline\/ca\.crt$/);
    }
  });

  it('connects the API and the worker with least privilege: the EventStoreDB writer user and the PostgreSQL runtime role, no DDL', () => {
    const secrets = generatedSecrets();
    expect(secrets.eventstore_url).toMatch(/^esdb:\/\/ledgerline-api:[0-9a-f]{48}@/);
    expect(secrets.eventstore_verifier_url).toMatch(/^esdb:\/\/ledgerline-verifier:[0-9a-f]{48}@/);
    expect(secrets.eventstore_admin_url).toMatch(/^esdb:\/\/admin:[0-9a-f]{48}@/);
    expect(secrets.read_db_url).toMatch(/^postgres:\/\/ledgerline_app:[0-9a-f]{48}@postgres:5432\/ledgerline$/);
    expect(secrets.read_db_owner_url).toMatch(/^postgres:\/\/ledgerline_owner:[0-9a-f]{48}@postgres:5432\/ledgerline$/);
    for (const name of ['api1', 'api2', 'worker']) {
      const service = services[name];
      expect({ name, migrate: service.environment?.READ_DB_MIGRATE, readDb: service.environment?.READ_DB_URL_FILE }).toEqual({
        name,
        migrate: 'off',
        readDb: '/run/secrets/read_db_url',
      });
      expect(service.secrets).not.toContain('read_db_owner_url');
      expect(service.depends_on?.['esdb-setup']).toEqual({ condition: 'service_completed_successfully' });
      expect(service.depends_on?.['db-migrate']).toEqual({ condition: 'service_completed_successfully' });
    }
    const migrate = services['db-migrate'];
    expect(migrate.command).toEqual(['node', 'dist/apps/api/src/projections-cli.js', 'migrate']);
    expect(migrate.environment?.READ_DB_URL_FILE).toBe('/run/secrets/read_db_owner_url');
    expect(services.postgres.environment?.LEDGERLINE_RUNTIME_ROLE).toBe('ledgerline_app');
    expect(services.postgres.environment?.LEDGERLINE_OWNER_ROLE).toBe('ledgerline_owner');
    expect(services['esdb-setup'].environment?.EVENTSTORE_ADMIN_URL_FILE).toBe('/run/secrets/eventstore_admin_url');
    expect(services['esdb-setup'].command).toEqual(['node', '/app/deploy/setup-users.mjs']);
  });

  it('runs the API stateless and the notary and projections in one worker', () => {
    expect(services.api1.environment?.WORKER).toBe('off');
    expect(services.api2.environment?.WORKER).toBe('off');
    expect(services.worker.environment?.WORKER).toBe('on');
    expect(services.worker.command).toEqual(['node', 'dist/apps/api/src/worker.js']);
    expect(services.api1.environment?.NODE_ENV).toBe('production');
  });

  it('runs two witnesses beside the log, and publishes only checkpoints both cosigned', () => {
    for (const name of ['witness1', 'witness2']) {
      const witness = services[name];
      expect(witness.command).toEqual(['node', 'dist/apps/witness/src/main.js']);
      expect(witness.environment).toMatchObject({ NODE_ENV: 'production', WITNESS_KEY_FILE: `/run/secrets/${name}_key`, WITNESS_LOG_KEYS_FILE: '/run/secrets/log_vkey' });
      expect(witness.secrets).toEqual([`${name}_key`, 'log_vkey']);
    }
    expect(services.worker.environment).toMatchObject({ WITNESS_URLS: 'http://witness1:3100,http://witness2:3100', WITNESS_KEYS_FILE: '/run/secrets/witness_vkeys', WITNESS_QUORUM: '2' });
  });

  it('has generate-secrets.sh write the same vkeys as the code (bash and openssl against libs/integrity)', () => {
    const secrets = generatedSecrets();
    expect(secrets.witness_vkeys).toBe(secrets.expected_witness_vkeys);
    expect(secrets.log_vkey).toBe(secrets.expected_log_vkey);
  });
});
