/**
 * HTTP load benchmark against the real API process (`dist/apps/api/src/main.js`, embedded store,
 * durable writes), next to a same-run baseline: a bare Fastify route doing one raw better-sqlite3
 * insert per request (WAL, synchronous=FULL), driven the same way.
 *
 *   npm run build && npm run bench:http [-- --seconds 10 --rates 500,1000,2000]
 *
 * Scenarios: create-document at fixed offered loads; mixed read/write (4 reads : 1 write); a
 * 2,000 req/s flood from one IP while a second client measures its own latency. The last line of
 * output is one JSON object.
 */
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevAuthKey } from '../../apps/api/src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../../apps/api/src/contexts/access/authentication/dev-token';
import { DEV_AUTHORIZED_PARTY } from '../../apps/api/src/contexts/access/authentication/verifier-settings';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const seconds = Number(args.get('seconds') ?? 10);
const rates = (args.get('rates') ?? '500,1000,2000').split(',').map(Number);
const API_MAIN = path.resolve(__dirname, '../../apps/api/src/main.js');

interface Figures {
  scenario: string;
  offered: number | null;
  achieved: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  rssMiB?: number;
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
}

function figures(scenario: string, offered: number | null, result: autocannon.Result, pid?: number): Figures {
  return {
    scenario,
    offered,
    achieved: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    ...(pid !== undefined ? { rssMiB: rssMiB(pid) } : {}),
  };
}

async function startApi(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [API_MAIN], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', LOG_FORMAT: 'json', RATE_LIMIT_IP_PER_MIN: '0', RATE_LIMIT_USER_PER_MIN: '0', TRUST_PROXY: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) return child;
    } catch {
      /* starting */
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('API did not start');
}

/** Tokens for enough users that no one reaches the free-plan quota of 10 documents. */
function tokensFor(dataDir: string, documents: number): string[] {
  const key = loadOrCreateDevAuthKey(dataDir).privateKey;
  return Array.from({ length: Math.ceil(documents / 9) + 1 }, (_, i) =>
    mintDevToken(key, { userId: `user_bench_${i}`, azp: DEV_AUTHORIZED_PARTY, ttlSeconds: 3600, secondFactorAgeMinutes: null }),
  );
}

function rotating(tokens: string[]): () => string {
  let next = 0;
  const perToken = new Map<number, number>();
  return () => {
    // Nine documents per user at most, then move on: the quota never answers 403 during the run.
    for (;;) {
      const i = next % tokens.length;
      const used = perToken.get(i) ?? 0;
      if (used < 9) {
        perToken.set(i, used + 1);
        return tokens[i];
      }
      next += 1;
    }
  };
}

async function createDocuments(baseUrl: string, offered: number, token: () => string): Promise<autocannon.Result> {
  const body = JSON.stringify({ title: 'Benchmark document', body: 'x'.repeat(400) });
  return autocannon({
    url: `${baseUrl}/v1/documents`,
    connections: 64,
    overallRate: offered,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({ ...request, body, headers: { ...request.headers, 'content-type': 'application/json', authorization: `Bearer ${token()}` } }),
      },
    ],
  });
}

async function baseline(offered: number, dir: string): Promise<autocannon.Result> {
  const db = new Database(path.join(dir, `baseline-${offered}.sqlite`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE events (position INTEGER PRIMARY KEY, id TEXT UNIQUE, data TEXT)');
  const insert = db.prepare('INSERT INTO events (id, data) VALUES (?, ?)');
  const app = Fastify();
  app.post('/v1/documents', async (request, reply) => {
    const id = randomUUID();
    insert.run(id, JSON.stringify(request.body));
    return reply.status(201).send({ id });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  try {
    return await autocannon({
      url: `http://127.0.0.1:${port}/v1/documents`,
      connections: 64,
      overallRate: offered,
      duration: seconds,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Benchmark document', body: 'x'.repeat(400) }),
    });
  } finally {
    await app.close();
    db.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-bench-http-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const baseUrl = `http://127.0.0.1:${port}`;
  const results: Figures[] = [];
  const api = await startApi(dir, port);
  try {
    const maxDocuments = rates.reduce((sum, rate) => sum + rate * seconds * 1.2, 0) + 5000;
    const token = rotating(tokensFor(dir, maxDocuments));
    for (const rate of rates) {
      const result = await createDocuments(baseUrl, rate, token);
      results.push(figures('create-document', rate, result, api.pid));
      console.log(JSON.stringify(results.at(-1)));
    }
    // Mixed: 4 list reads for each create, at 1,000 req/s offered.
    const reader = tokensFor(dir, 0)[0];
    const mixed = await autocannon({
      url: baseUrl,
      connections: 64,
      overallRate: 1000,
      duration: seconds,
      requests: [
        { method: 'GET', path: '/v1/documents?limit=20', headers: { authorization: `Bearer ${reader}` } },
        { method: 'GET', path: '/v1/documents?limit=20', headers: { authorization: `Bearer ${reader}` } },
        { method: 'GET', path: '/v1/documents?limit=20', headers: { authorization: `Bearer ${reader}` } },
        { method: 'GET', path: '/v1/documents?limit=20', headers: { authorization: `Bearer ${reader}` } },
        {
          method: 'POST',
          path: '/v1/documents',
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({ title: 'Mixed', body: 'y'.repeat(400) }),
            headers: { ...request.headers, 'content-type': 'application/json', authorization: `Bearer ${token()}` },
          }),
        },
      ],
    });
    results.push(figures('mixed 4 reads : 1 write', 1000, mixed, api.pid));
    console.log(JSON.stringify(results.at(-1)));
  } finally {
    api.kill('SIGTERM');
  }

  // Flood: a rate-limited API; one IP floods at 2,000/s, a second client measures its own latency.
  const floodDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-bench-flood-'));
  const floodPort = port + 1;
  const limited = spawn(process.execPath, [API_MAIN], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: floodDir, PORT: String(floodPort), LOG_LEVEL: 'warn', TRUST_PROXY: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${floodPort}/health/ready`)).ok) break;
      } catch {
        /* starting */
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const calmToken = tokensFor(floodDir, 0)[0];
    const [flood, calm] = await Promise.all([
      autocannon({ url: `http://127.0.0.1:${floodPort}/.well-known/jwks.json`, headers: { 'x-forwarded-for': '203.0.113.66' }, connections: 50, overallRate: 2000, duration: seconds * 2 }),
      autocannon({
        url: `http://127.0.0.1:${floodPort}/v1/documents`,
        headers: { 'x-forwarded-for': '198.51.100.7', authorization: `Bearer ${calmToken}` },
        connections: 2,
        overallRate: 4,
        duration: seconds * 2,
      }),
    ]);
    results.push({ ...figures('flood from one IP (2,000/s)', 2000, flood, limited.pid), non2xx: flood.non2xx });
    results.push(figures('second client during the flood', 4, calm));
    console.log(JSON.stringify(results.at(-2)));
    console.log(JSON.stringify(results.at(-1)));
  } finally {
    limited.kill('SIGTERM');
  }

  const baselines: Figures[] = [];
  for (const rate of rates) {
    baselines.push(figures('baseline: bare Fastify + one raw SQLite FULL insert', rate, await baseline(rate, dir)));
    console.log(JSON.stringify(baselines.at(-1)));
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(floodDir, { recursive: true, force: true });

  console.log('\nscenario                                   offered  achieved/s   p50 ms   p99 ms  non-2xx  RSS MiB  vs baseline');
  for (const r of results) {
    const base = baselines.find((b) => b.offered === r.offered && r.scenario === 'create-document');
    const ratio = base ? (r.achieved / base.achieved).toFixed(2) : '';
    console.log(
      `${r.scenario.padEnd(42)} ${String(r.offered ?? '').padStart(7)} ${String(r.achieved).padStart(11)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(8)} ${String(r.non2xx).padStart(8)} ${String(r.rssMiB ?? '').padStart(8)}  ${ratio}`,
    );
  }
  for (const b of baselines) {
    console.log(`${b.scenario.slice(0, 42).padEnd(42)} ${String(b.offered).padStart(7)} ${String(b.achieved).padStart(11)} ${String(b.p50).padStart(8)} ${String(b.p99).padStart(8)} ${String(b.non2xx).padStart(8)}`);
  }
  console.log(JSON.stringify({ bench: 'http', seconds, results, baselines }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
