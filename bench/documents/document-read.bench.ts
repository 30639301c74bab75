import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { peakSampler, startApiChild, type ApiChild } from '../audit/api-child';
import { summariseLatencies } from '../http/latency';
import { benchPort, devAuthHeaders, numberOption, timedGets } from './bench-support';

/*
 * A document's cost against its history (issue 19 §2): GET /v1/documents/:id p99 and the API's peak RSS
 * for a document with 1 edit and one with N edits (default 10 000), each measured in a fresh API process
 * after the history was written and projected; and GET /v1/me/export's peak RSS for both owners.
 *   node dist/bench/documents/document-read.bench.js [--edits 10000] [--gets 2000] [--body 1000] [--api dist/apps/api/src/main.js]
 * Prints one JSON object.
 */

const apiAt = process.argv.indexOf('--api');
const API = apiAt === -1 ? undefined : path.resolve(process.argv[apiAt + 1]);
const EDITS = numberOption('edits', 10_000);
const GETS = numberOption('gets', 2_000);
const BODY = numberOption('body', 1_000);
const WARMUP = 200;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-doc-bench-'));
  const env = { DATA_DIR: dataDir, RATE_LIMIT_IP_PER_MIN: '0', RATE_LIMIT_USER_PER_MIN: '0', CHECKPOINT_INTERVAL_MS: '60000' };
  const start = (): Promise<ApiChild> => startApiChild(env, benchPort(), API);
  try {
    let api = await start();
    const auth = (userId: string) => devAuthHeaders(dataDir, userId);
    const write = async (user: string, edits: number): Promise<{ id: string; position: string }> => {
      const created = await fetch(`${api.baseUrl}/v1/documents`, { method: 'POST', headers: auth(user), body: JSON.stringify({ title: 'bench', body: 'x'.repeat(BODY) }) });
      if (created.status !== 201) throw new Error(`create answered ${created.status}`);
      const { id } = (await created.json()) as { id: string };
      let position = '';
      for (let i = 0; i < edits; i++) {
        const edited = await fetch(`${api.baseUrl}/v1/documents/${id}`, { method: 'PATCH', headers: auth(user), body: JSON.stringify({ body: `${i} ${'y'.repeat(BODY)}` }) });
        if (edited.status !== 200) throw new Error(`edit answered ${edited.status}`);
        position = ((await edited.json()) as { position: string }).position;
      }
      return { id, position };
    };
    const seedStarted = Date.now();
    const small = await write('user_bench_small', 1);
    const big = await write('user_bench_big', EDITS);
    const caughtUp = await fetch(`${api.baseUrl}/v1/documents/${big.id}`, { headers: { ...auth('user_bench_big'), 'x-consistent-after': big.position } });
    if (caughtUp.status !== 200) throw new Error(`the projection did not catch up (${caughtUp.status})`);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    await api.stop();

    const measureGets = async (user: string, id: string) => {
      api = await start();
      const url = `${api.baseUrl}/v1/documents/${id}`;
      await timedGets(url, auth(user), 0, WARMUP);
      const peak = peakSampler(() => api.rss());
      const latencies = await timedGets(url, auth(user), GETS, 0);
      const peakRssMiB = peak.stop() / 2 ** 20;
      await api.stop();
      return { latencyMs: summariseLatencies(latencies), peakRssMiB: Math.round(peakRssMiB * 10) / 10 };
    };
    const measureExport = async (user: string) => {
      api = await start();
      const peak = peakSampler(() => api.rss());
      const t0 = Date.now();
      const response = await fetch(`${api.baseUrl}/v1/me/export`, { headers: auth(user) });
      const bytes = (await response.arrayBuffer()).byteLength;
      const peakRssMiB = peak.stop() / 2 ** 20;
      await api.stop();
      return { status: response.status, bytes, seconds: (Date.now() - t0) / 1000, peakRssMiB: Math.round(peakRssMiB * 10) / 10 };
    };
    const oneEdit = await measureGets('user_bench_small', small.id);
    const manyEdits = await measureGets('user_bench_big', big.id);
    const exportSmall = await measureExport('user_bench_small');
    const exportBig = await measureExport('user_bench_big');
    process.stdout.write(
      `${JSON.stringify(
        {
          bench: 'documents/document-read',
          node: process.version,
          edits: EDITS,
          gets: GETS,
          bodyChars: BODY,
          seedSeconds,
          get: { oneEdit, manyEdits, p99Ratio: manyEdits.latencyMs.p99 / oneEdit.latencyMs.p99, peakRssRatio: manyEdits.peakRssMiB / oneEdit.peakRssMiB },
          export: { oneEdit: exportSmall, manyEdits: exportBig, peakRssRatio: exportBig.peakRssMiB / exportSmall.peakRssMiB },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`document-read bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
