import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevAuthKey } from '../../../apps/api/src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../../../apps/api/src/contexts/access/authentication/dev-token';
import { DEV_AUTHORIZED_PARTY } from '../../../apps/api/src/contexts/access/authentication/verifier-settings';
import { randomPort, startApiProcess, type ApiProcess } from '../../support/api-process';
import { EdgeClient } from './edge-client';
import { startEdge, type EdgeOptions, type EdgeProcess } from './edge-process';

export const METRICS_TOKEN = 'edge-spec-metrics';
export const STRIPE_WEBHOOK_SECRET = `whsec_edge${'0'.repeat(8)}spec`;

/** The real API as a process, the real edge in front of it, and a client that only speaks to the edge. */
export interface EdgeStack {
  api: ApiProcess;
  edge: EdgeProcess;
  client: EdgeClient;
  dataDir: string;
  token(userId: string, options?: { mfa?: boolean }): string;
  /** Requests the API has answered so far, by route template (read from its /metrics, directly). */
  appRequests(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

export async function startEdgeStack(
  edgeOptions: Partial<Omit<EdgeOptions, 'upstreamPort'>> = {},
  apiEnv: Record<string, string> = {},
): Promise<EdgeStack> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-edge-api-'));
  const apiPort = randomPort();
  const api = await startApiProcess(
    {
      DATA_DIR: dataDir,
      TRUST_PROXY: '127.0.0.1',
      METRICS_TOKEN,
      STRIPE_WEBHOOK_SECRET,
      LOG_LEVEL: 'debug',
      RATE_LIMIT_IP_PER_MIN: '0',
      CHECKPOINT_INTERVAL_MS: '200',
      ...apiEnv,
    },
    apiPort,
  );
  let edge: EdgeProcess;
  try {
    edge = await startEdge({ upstreamPort: apiPort, port: randomPort(), ...edgeOptions });
  } catch (error) {
    api.child.kill('SIGTERM');
    await api.exited;
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const client = new EdgeClient(edge.port, edge.ca);
  return {
    api,
    edge,
    client,
    dataDir,
    token: (userId, options = {}) =>
      mintDevToken(loadOrCreateDevAuthKey(dataDir).privateKey, {
        userId,
        azp: DEV_AUTHORIZED_PARTY,
        ttlSeconds: 600,
        secondFactorAgeMinutes: options.mfa ? 0 : null,
      }),
    appRequests: async () => {
      const response = await fetch(`${api.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
      const counts = new Map<string, number>();
      for (const match of (await response.text()).matchAll(/^ledgerline_http_requests_total\{([^}]*)\} (\d+)$/gm)) {
        const route = /route="([^"]*)"/.exec(match[1])?.[1] ?? '';
        if (route === '/metrics') continue; // the counting itself
        counts.set(route, (counts.get(route) ?? 0) + Number(match[2]));
      }
      return counts;
    },
    stop: async () => {
      client.close();
      await edge.stop();
      api.child.kill('SIGTERM');
      await api.exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Total of a route-count map. */
export function total(counts: Map<string, number>): number {
  return [...counts.values()].reduce((sum, n) => sum + n, 0);
}
