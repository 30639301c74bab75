import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomPort, startApiProcess } from '../support/api-process';

/**
 * The embedded default (`npm start`: SQLite, no Redis, no PostgreSQL, no Stripe keys) loads none of
 * the drivers and SDKs it does not use, on either thread. V8 lets the old generation grow to a
 * multiple of what is live, so modules loaded and never used cost several times their heap in peak
 * resident memory (docs/benchmarks.md).
 */
const UNUSED_BY_THE_EMBEDDED_DEFAULT = ['stripe', 'ioredis', 'pg', '@eventstore/db-client', '@grpc/grpc-js'];

/** The packages each thread of one API run loaded, from start to a clean stop. */
async function loadedPackages(env: Record<string, string>): Promise<string[][]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-footprint-'));
  const reports = path.join(dataDir, 'loaded');
  mkdirSync(reports);
  try {
    const api = await startApiProcess({ DATA_DIR: dataDir, LOADED_PACKAGES_DIR: reports, ...env }, randomPort(), undefined, ['-r', path.join(__dirname, 'loaded-packages.cjs')]);
    // A request through the whole stack first: guards, a query, the read model.
    expect((await fetch(`${api.baseUrl}/v1/documents`)).status).toBe(401);
    api.child.kill('SIGTERM');
    expect(await api.exited).toEqual({ code: 0, signal: null });
    return readdirSync(reports).map((file) => JSON.parse(readFileSync(path.join(reports, file), 'utf8')) as string[]);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('what the embedded default loads', () => {
  it('loads no driver or SDK it does not use, on the request thread or the worker thread', async () => {
    const threads = await loadedPackages({});
    expect(threads).toHaveLength(2);
    for (const packages of threads) {
      expect(packages).toContain('better-sqlite3'); // the report sees what was loaded
      expect(packages.filter((name) => UNUSED_BY_THE_EMBEDDED_DEFAULT.includes(name))).toEqual([]);
    }
  }, 90_000);

  it('loads the Stripe SDK once billing is configured', async () => {
    const threads = await loadedPackages({ STRIPE_SECRET_KEY: 'sk_test_footprint', STRIPE_WEBHOOK_SECRET: 'whsec_footprint' });
    expect(threads.some((packages) => packages.includes('stripe'))).toBe(true);
  }, 90_000);
});
