import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEventStore } from '@ledgerline/event-store';
import { loadOrCreateDevAuthKey } from '../src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../src/contexts/access/authentication/dev-token';
import { DEV_AUTHORIZED_PARTY } from '../src/contexts/access/authentication/verifier-settings';
import { randomPort, startApiProcess } from '../../../test/support/api-process';

describe('API process lifecycle (e2e, real process)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-proc-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts on the embedded default and stops cleanly on SIGTERM', async () => {
    const api = await startApiProcess({ DATA_DIR: dataDir }, randomPort());
    expect(existsSync(path.join(dataDir, 'events.sqlite'))).toBe(true);
    api.child.kill('SIGTERM');
    const { code } = await api.exited;
    expect(code).toBe(0);
    expect(api.output()).not.toContain('"level":"error"');
    expect(api.output()).toContain('"message":"stopped"');
  });

  it('drains in-flight writes on SIGTERM: every request already accepted is answered, and every 201 is in the store', async () => {
    const api = await startApiProcess({ DATA_DIR: dataDir, RATE_LIMIT_IP_PER_MIN: '0', RATE_LIMIT_USER_PER_MIN: '0' }, randomPort());
    const key = loadOrCreateDevAuthKey(dataDir).privateKey;
    const requests = Array.from({ length: 30 }, (_, i) => {
      const token = mintDevToken(key, { userId: `user_drain_${i % 5}`, azp: DEV_AUTHORIZED_PARTY, ttlSeconds: 600, secondFactorAgeMinutes: null });
      return fetch(`${api.baseUrl}/v1/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: `drain ${i}`, body: 'text' }),
      }).then(
        async (response) => ({ status: response.status, body: (await response.json()) as { id?: string } }),
        () => ({ status: 0, body: {} as { id?: string } }),
      );
    });
    // SIGTERM as soon as the first answer is back: the others are in flight or queued then, however
    // loaded the machine is (a fixed delay could signal before any request was accepted).
    await Promise.race(requests);
    api.child.kill('SIGTERM');
    const answers = await Promise.all(requests);
    expect((await api.exited).code).toBe(0);
    // A request was answered by its handler (2xx/4xx), refused before any handler ran because the
    // server was closing (503, Connection: close), or never connected — never a 500.
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((status) => !(status === 0 || status === 503 || (status >= 200 && status < 500)))).toEqual([]);
    const created = answers.filter((a) => a.status === 201).map((a) => a.body.id);
    expect(created.length).toBeGreaterThan(0);
    const store = new SqliteEventStore(path.join(dataDir, 'events.sqlite'));
    try {
      for (const id of created) expect((await store.readLastEvent(`document-${id}`))?.type).toBe('DocumentCreated');
      // …and nothing refused or cut off left a document behind: the log holds exactly the 201s.
      let documentsInLog = 0;
      for await (const event of store.readAll()) if (event.type === 'DocumentCreated') documentsInLog++;
      expect(documentsInLog).toBe(created.length);
    } finally {
      await store.close();
    }
  });

  it('refuses to start in production with dev auth, naming the variable', async () => {
    await expect(startApiProcess({ DATA_DIR: dataDir, NODE_ENV: 'production', AUTH_MODE: 'dev' }, randomPort())).rejects.toThrow(
      /AUTH_MODE/,
    );
  });
});
