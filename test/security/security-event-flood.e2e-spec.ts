import http from 'node:http';
import { bootApp, type BootedApp } from '../../apps/api/test/app-boot';
import { call, devTokenMinter, flushSecurityEvents, securityIncidents } from './support/auth-client';
import { rsaKeyPair, sessionClaims, signRs256 } from './support/token-forge';

const FLOOD = 10_000;
const IN_FLIGHT = 50;
const GOOD_EVERY = 500;
const ROUTE = '/v1/admin/users/user_bob/roles';

/** A bare keep-alive GET (node:http is much lighter than fetch when 10,000 requests share the test's event loop). */
function get(agent: http.Agent, url: URL, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { authorization } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
  });
}

/** Runs `task(i)` for i in [0, total) with at most `limit` in flight. */
async function withConcurrency(total: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) await task(next++);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

describe('bad-token flood (e2e)', () => {
  let booted: BootedApp;
  beforeAll(async () => {
    // Rate limits off: this spec is about the security-event path, not about 429s.
    booted = await bootApp({ RATE_LIMIT_IP_PER_MIN: '0', RATE_LIMIT_USER_PER_MIN: '0', LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    await booted.close();
  });

  it('answers 10,000 bad tokens with 401, keeps serving good ones, and stores a bounded number of incidents', async () => {
    const good = devTokenMinter(booted.dataDir)('user_admin');
    const forger = rsaKeyPair();
    const bad = [
      'Bearer garbage',
      `Bearer ${signRs256(forger.privateKey, sessionClaims({ sub: 'user_admin', azp: 'http://localhost:3000', fva: [0, 0] }))}`,
      `Bearer ${devTokenMinter(booted.dataDir)('user_admin', { ttlSeconds: 1 }).replace(/\.[^.]+$/, '.AAAA')}`,
      `Basic ${Buffer.from('user_admin:hunter2').toString('base64')}`,
      `Bearer ${devTokenMinter(booted.dataDir)('user_admin', { now: Date.now() - 2 * 3600_000 })}`,
    ];
    const statuses = new Map<number, number>();
    const goodStatuses: number[] = [];
    await flushSecurityEvents(booted.app);
    const before = (await securityIncidents(booted.app)).length;

    const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    const url = new URL(`${booted.baseUrl}${ROUTE}`);
    try {
      await withConcurrency(FLOOD, IN_FLIGHT, async (i) => {
        if (i % GOOD_EVERY === 0) goodStatuses.push(await get(agent, url, `Bearer ${good}`));
        const status = await get(agent, url, bad[i % bad.length]);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      });
    } finally {
      agent.destroy();
    }

    expect(Object.fromEntries(statuses)).toEqual({ 401: FLOOD });
    expect(goodStatuses).toEqual(Array.from({ length: FLOOD / GOOD_EVERY }, () => 200));
    expect((await call(booted.baseUrl, 'GET', ROUTE, { token: good })).status).toBe(200);

    await flushSecurityEvents(booted.app);
    const incidents = (await securityIncidents(booted.app)).slice(before);
    // One incident per (network, reason) per minute: 4 distinct reasons, maybe split by a minute boundary.
    expect(incidents.length).toBeGreaterThanOrEqual(4);
    expect(incidents.length).toBeLessThanOrEqual(12);
    expect(incidents.reduce((sum, incident) => sum + (incident.count as number), 0)).toBe(FLOOD);
    expect(new Set(incidents.map((incident) => incident.reason))).toEqual(
      new Set(['malformed-token', 'token-invalid-signature', 'unsupported-scheme', 'token-expired']),
    );
    // The log is aggregated too: a warning per new (network, reason, minute), not per request.
    const warnings = booted.logs().split('\n').filter((line) => line.includes('"message":"security event"'));
    expect(warnings.length).toBeLessThanOrEqual(12);
    expect(booted.logs()).not.toContain('hunter2');
  });
});
