import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEventStore, type RecordedEvent } from '@ledgerline/event-store';
import { jwksKeyMap, verifyChain, type Jwks } from '@ledgerline/integrity';
import { loadOrCreateDevAuthKey } from '../../apps/api/src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../../apps/api/src/contexts/access/authentication/dev-token';
import { DEV_AUTHORIZED_PARTY } from '../../apps/api/src/contexts/access/authentication/verifier-settings';
import { randomPort, REPO_ROOT, startApiProcess } from '../support/api-process';

interface Acknowledged {
  id: string;
  position: string;
  owner: string;
}

describe('crash recovery: kill -9 during sustained writes (real process)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-crash-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged command, verifies, and the read models equal a fresh rebuild', async () => {
    const env = { DATA_DIR: dataDir, RATE_LIMIT_IP_PER_MIN: '0', RATE_LIMIT_USER_PER_MIN: '0', CHECKPOINT_INTERVAL_MS: '200' };
    const api = await startApiProcess(env, randomPort());
    const key = loadOrCreateDevAuthKey(dataDir).privateKey;
    const tokens = new Map<string, string>();
    const tokenOf = (userId: string): string => {
      if (!tokens.has(userId)) tokens.set(userId, mintDevToken(key, { userId, azp: DEV_AUTHORIZED_PARTY, ttlSeconds: 600, secondFactorAgeMinutes: null }));
      return tokens.get(userId)!;
    };
    const acknowledged: Acknowledged[] = [];
    let stop = false;
    // Each writer moves to a new user every 10 documents (the free-plan quota), so writes never stop early.
    const writer = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const owner = `user_crash_${n}_${Math.floor(i / 10)}`;
        try {
          const response = await fetch(`${api.baseUrl}/v1/documents`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokenOf(owner)}`, 'content-type': 'application/json' },
            body: JSON.stringify({ title: `crash ${n}-${i}`, body: 'x'.repeat(200) }),
          });
          if (response.status === 201) acknowledged.push({ ...((await response.json()) as Acknowledged), owner });
        } catch {
          return; // the process is gone
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, n) => writer(n));
    await new Promise((resolve) => setTimeout(resolve, 400));
    api.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await api.exited;
    expect(acknowledged.length).toBeGreaterThan(0);

    // Every acknowledged command's event is in the store, and every stream verifies.
    const store = new SqliteEventStore(path.join(dataDir, 'events.sqlite'));
    const streams = new Map<string, RecordedEvent[]>();
    try {
      for await (const event of store.readAll()) streams.set(event.stream, [...(streams.get(event.stream) ?? []), event]);
    } finally {
      await store.close();
    }
    for (const { id } of acknowledged) expect(streams.get(`document-${id}`)?.[0]?.type).toBe('DocumentCreated');

    const restarted = await startApiProcess(env, randomPort());
    try {
      const jwks = (await (await fetch(`${restarted.baseUrl}/.well-known/jwks.json`)).json()) as Jwks;
      const keys = await jwksKeyMap(jwks);
      for (const [stream, events] of streams) expect({ stream, result: verifyChain(events, keys) }).toMatchObject({ stream, result: { ok: true } });

      const newest = acknowledged.map((a) => BigInt(a.position)).reduce((a, b) => (a > b ? a : b));
      const owners = [...new Set(acknowledged.map((a) => a.owner))];
      const listAll = async (baseUrl: string) => {
        const lists: Record<string, string[]> = {};
        for (const owner of owners) {
          const response = await fetch(`${baseUrl}/v1/documents?limit=100`, {
            headers: { authorization: `Bearer ${tokenOf(owner)}`, 'x-consistent-after': newest.toString() },
          });
          expect(response.status).toBe(200);
          lists[owner] = ((await response.json()) as { items: { id: string }[] }).items.map((item) => item.id).sort();
        }
        return lists;
      };
      const before = await listAll(restarted.baseUrl);
      for (const { id, owner } of acknowledged) expect(before[owner]).toContain(id);
      restarted.child.kill('SIGTERM');
      await restarted.exited;

      execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist/apps/api/src/projections-cli.js'), 'rebuild'], {
        env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
        stdio: 'ignore',
      });
      const rebuilt = await startApiProcess(env, randomPort());
      try {
        expect(await listAll(rebuilt.baseUrl)).toEqual(before);
      } finally {
        rebuilt.child.kill('SIGTERM');
        await rebuilt.exited;
      }
    } finally {
      if (restarted.child.exitCode === null) restarted.child.kill('SIGKILL');
    }
  });
});
