import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApiChild, type ApiChild } from '../audit/api-child';
import { summariseLatencies } from '../http/latency';
import { benchPort, devAuthHeaders, numberOption, timedGets } from './bench-support';

/*
 * The document list against everyone else's documents (issue 19 §3): GET /v1/documents p99 for a user
 * with 10 documents of their own and 5 shared with them, first with no other documents in the read model,
 * then with N other users' documents (default 1 000 000, each shared with another user) written straight
 * into read.sqlite while the API is stopped. Each measured in a fresh API process.
 *   node dist/bench/documents/document-list.bench.js [--others 1000000] [--gets 2000]
 * Prints one JSON object.
 */

const OTHERS = numberOption('others', 1_000_000);
const GETS = numberOption('gets', 2_000);
const WARMUP = 200;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-list-bench-'));
  const env = { DATA_DIR: dataDir, RATE_LIMIT_IP_PER_MIN: '0', RATE_LIMIT_USER_PER_MIN: '0', CHECKPOINT_INTERVAL_MS: '60000' };
  const start = (): Promise<ApiChild> => startApiChild(env, benchPort());
  const auth = (userId: string) => devAuthHeaders(dataDir, userId);
  try {
    let api = await start();
    let position = '';
    const create = async (user: string, title: string): Promise<string> => {
      const response = await fetch(`${api.baseUrl}/v1/documents`, { method: 'POST', headers: auth(user), body: JSON.stringify({ title, body: 'b' }) });
      if (response.status !== 201) throw new Error(`create answered ${response.status}`);
      const created = (await response.json()) as { id: string; position: string };
      position = created.position;
      return created.id;
    };
    for (let i = 0; i < 10; i++) await create('user_list_bench', `mine ${i}`);
    for (let i = 0; i < 5; i++) {
      const id = await create('user_list_friend', `shared ${i}`);
      const shared = await fetch(`${api.baseUrl}/v1/documents/${id}/shares/user_list_bench`, { method: 'PUT', headers: auth('user_list_friend'), body: JSON.stringify({ access: 'read' }) });
      position = ((await shared.json()) as { position: string }).position;
    }
    const ready = await fetch(`${api.baseUrl}/v1/documents`, { headers: { ...auth('user_list_bench'), 'x-consistent-after': position } });
    if (ready.status !== 200 || ((await ready.json()) as { items: unknown[] }).items.length !== 15) throw new Error('the list is not complete');
    await api.stop();

    const measure = async () => {
      api = await start();
      const latencies = await timedGets(`${api.baseUrl}/v1/documents?limit=20`, auth('user_list_bench'), GETS, WARMUP);
      await api.stop();
      return summariseLatencies(latencies);
    };
    const empty = await measure();

    const seedStarted = Date.now();
    const db = new Database(path.join(dataDir, 'read.sqlite'));
    const document = db.prepare(
      `INSERT INTO documents (id, owner_id, title, body, revision, deleted, created_at, updated_at, created_position, shares, position)
       VALUES (?, ?, '{"$jwe":"x"}', '{"$jwe":"x"}', 0, 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ?, '[]', ?)`,
    );
    const share = db.prepare("INSERT INTO document_shares (document_id, user_id, access) VALUES (?, ?, 'read')");
    db.transaction(() => {
      for (let i = 0; i < OTHERS; i++) {
        // Positions above the real ones, so the other documents are the newest in the table.
        const at = 1_000_000_000 + i;
        document.run(`other-${i}`, `user_other_${i % 100_000}`, at, at);
        share.run(`other-${i}`, `user_other_${(i + 1) % 100_000}`);
      }
    })();
    db.close();
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const crowded = await measure();
    process.stdout.write(
      `${JSON.stringify({ bench: 'documents/document-list', node: process.version, others: OTHERS, gets: GETS, seedSeconds, latencyMs: { empty, crowded }, p99Ratio: crowded.p99 / empty.p99 }, null, 2)}\n`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`document-list bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
