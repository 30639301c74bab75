import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevAuthKey } from '../../apps/api/src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../../apps/api/src/contexts/access/authentication/dev-token';
import { DEV_AUTHORIZED_PARTY } from '../../apps/api/src/contexts/access/authentication/verifier-settings';
import { randomPort, REPO_ROOT, startApiProcess } from '../support/api-process';

async function audit(args: string[]): Promise<{ code: number | null; report: { sections: { check: string; status: string; summary: string; findings: string[] }[] } }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts/security-audit/security-audit.mjs'), '--only', 'store', ...args, '--json'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, report: JSON.parse(stdout) };
}

describe('npm run audit:security -- --events … (whole-log verify-store of a real store)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-audit-store-'));
  const events = path.join(dir, 'events.sqlite');
  const jwks = path.join(dir, 'jwks.json');
  const logKey = path.join(dir, 'log-key.txt');

  beforeAll(async () => {
    // A real store: the API writes events and the notary signs checkpoints; then it stops.
    const api = await startApiProcess({ DATA_DIR: dir, CHECKPOINT_INTERVAL_MS: '100' }, randomPort());
    try {
      const token = mintDevToken(loadOrCreateDevAuthKey(dir).privateKey, { userId: 'user_audit', azp: DEV_AUTHORIZED_PARTY, ttlSeconds: 600, secondFactorAgeMinutes: null });
      for (const title of ['one', 'two', 'three']) {
        const created = await fetch(`${api.baseUrl}/v1/documents`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title, body: `${title} body` }),
        });
        expect(created.status).toBe(201);
      }
      await new Promise((resolve) => setTimeout(resolve, 500)); // a checkpoint over the new events
      writeFileSync(jwks, await (await fetch(`${api.baseUrl}/.well-known/jwks.json`)).text());
      writeFileSync(logKey, await (await fetch(`${api.baseUrl}/v1/audit/log-key`)).text());
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes on an intact store and fails, naming the event, once one event was altered', async () => {
    const intact = await audit(['--events', events, '--jwks', jwks, '--log-key', logKey]);
    expect(intact.report.sections).toEqual([{ check: 'store', status: 'passed', summary: expect.stringMatching(/^\d+ events in \d+ streams, \d+ leaves, [1-9]\d* checkpoints verified$/), findings: [] }]);
    expect(intact.code).toBe(0);

    const db = new Database(events);
    const changed = db
      .prepare(`UPDATE events SET data = json_set(data, '$.tampered', 1) WHERE position = (SELECT MAX(position) FROM events WHERE stream LIKE 'document-%')`)
      .run();
    expect(changed.changes).toBe(1);
    db.close();
    const tampered = await audit(['--events', events, '--jwks', jwks, '--log-key', logKey]);
    expect(tampered.code).toBe(1);
    expect(tampered.report.sections[0]).toMatchObject({ status: 'failed', findings: [expect.stringMatching(/^verify-store: .*"stream":"document-/)] });
  });

  it('fails when a store is given without its keys', async () => {
    const run = await audit(['--events', events]);
    expect(run.code).toBe(1);
    expect(run.report.sections[0]).toMatchObject({ status: 'failed', summary: 'a store needs --jwks and --log-key too' });
  });
});
