import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
type Service = {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  secrets?: string[];
  command?: string[];
};
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
};
const services = compose.services;

describe('docker-compose.yml', () => {
  it('names every service the scale-out deployment needs', () => {
    expect(Object.keys(services).sort()).toEqual(['api1', 'api2', 'edge', 'esdb1', 'esdb2', 'esdb3', 'postgres', 'redis', 'worker']);
  });

  it('gives every service a healthcheck', () => {
    for (const [name, service] of Object.entries(services)) {
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

  it('keeps TLS on everywhere it crosses a network boundary', () => {
    for (const name of ['esdb1', 'esdb2', 'esdb3']) {
      const env = services[name].environment ?? {};
      expect(env.KURRENTDB_INSECURE).toBe('false');
      expect(env.KURRENTDB_CERTIFICATE_FILE).toMatch(/node\.crt$/);
      expect(env.KURRENTDB_TRUSTED_ROOT_CERTIFICATES_PATH).toBeDefined();
    }
    expect(services.edge.environment?.PROXY_SSL).toBe('on');
    const secrets = readFileSync(path.join(ROOT, 'deploy/generate-secrets.sh'), 'utf8');
    expect(secrets).toMatch(/esdb:\/\/[^"]*esdb1:2113,esdb2:2113,esdb3:2113[^"]*tls=true/);
  });

  it('runs the API stateless and the notary and projections in one worker', () => {
    expect(services.api1.environment?.WORKER).toBe('off');
    expect(services.api2.environment?.WORKER).toBe('off');
    expect(services.worker.environment?.WORKER).toBe('on');
    expect(services.worker.command).toEqual(['node', 'dist/apps/api/src/worker.js']);
    expect(services.api1.environment?.NODE_ENV).toBe('production');
  });
});
