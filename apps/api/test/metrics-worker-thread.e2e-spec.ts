import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevAuthKey } from '../src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../src/contexts/access/authentication/dev-token';
import { DEV_AUTHORIZED_PARTY } from '../src/contexts/access/authentication/verifier-settings';
import { randomPort, startApiProcess, type ApiProcess } from '../../../test/support/api-process';
import { eventually } from '../../../test/support/eventually';
import { declaredNames, sampleValue, samples } from '../../../test/support/prometheus-text';

const METRICS_TOKEN = 'worker-thread-scrape-token';

// `npm start` as it runs: the compiled main.js with WORKER on, so the notary signs on the worker thread.
describe('GET /metrics of an API process with its worker thread (e2e, real process)', () => {
  let dataDir: string;
  let api: ApiProcess;
  const scrape = (authorization?: string) => fetch(`${api.baseUrl}/metrics`, { headers: authorization ? { authorization } : {} });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-metrics-thread-'));
    api = await startApiProcess({ DATA_DIR: dataDir, METRICS_TOKEN, CHECKPOINT_INTERVAL_MS: '100' }, randomPort());
  }, 90_000);
  afterAll(async () => {
    if (api) {
      api.child.kill('SIGTERM');
      await api.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('still answers 401 without the metrics token', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('Bearer wrong')).status).toBe(401);
  });

  it("merges the worker thread's metrics (the notary's checkpoints) into one exposition: each name once, the process counted once", async () => {
    const token = mintDevToken(loadOrCreateDevAuthKey(dataDir).privateKey, { userId: 'user_scraped', azp: DEV_AUTHORIZED_PARTY, ttlSeconds: 600, secondFactorAgeMinutes: null });
    for (const title of ['first', 'second']) {
      const created = await fetch(`${api.baseUrl}/v1/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title, body: 'counted' }),
      });
      expect(created.status).toBe(201);
    }

    const text = await eventually(async () => {
      const response = await scrape(`Bearer ${METRICS_TOKEN}`);
      expect(response.status).toBe(200);
      const body = await response.text();
      return (sampleValue(body, 'ledgerline_notary_tree_size') ?? 0) > 0 ? body : undefined;
    }, 'a signed checkpoint in /metrics', 45_000);

    const helps = declaredNames(text, 'HELP');
    expect(new Set(helps).size).toBe(helps.length);
    const types = declaredNames(text, 'TYPE');
    expect(new Set(types).size).toBe(types.length);
    expect(sampleValue(text, 'ledgerline_worker_thread_metrics_up')).toBe(1);
    expect(sampleValue(text, 'ledgerline_notary_checkpoint_signed_timestamp_seconds')).toBeGreaterThan(0);
    // The API thread's own metrics are still there beside the worker thread's.
    expect(sampleValue(text, 'ledgerline_http_requests_total{method="POST",route="/v1/documents",status="201"}')).toBe(2);
    expect(sampleValue(text, 'ledgerline_worker_thread_heap_used_bytes')).toBeGreaterThan(0);
    // The token, new to the API thread, was verified by the worker thread (once: the second create reused its claims).
    expect(sampleValue(text, 'ledgerline_worker_thread_answers_total{question="session-verdict"}')).toBe(1);
    // Process-wide metrics read the one process: reported by the main thread only, never summed.
    expect(samples(text, 'ledgerline_process_resident_memory_bytes')).toHaveLength(1);
    expect(samples(text, 'ledgerline_process_cpu_seconds_total')).toHaveLength(1);
    expect(text).not.toContain(METRICS_TOKEN);
  }, 60_000);
});
