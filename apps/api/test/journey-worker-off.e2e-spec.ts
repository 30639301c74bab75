import type { ProjectionSet } from '@ledgerline/projections';
import { PROJECTION_SET } from '../src/platform/projections/projections.tokens';
import { bootApp, type BootedApp } from './app-boot';

/**
 * Scale-out (SPEC §2): an API instance with WORKER=off runs no projections; it serves reads from
 * the read models another instance (the worker) keeps, and X-Consistent-After polls that worker's
 * checkpoints. Both instances here share one DATA_DIR (event store, read.sqlite, keys).
 */
describe('an API instance with WORKER=off (e2e)', () => {
  let worker: BootedApp;
  let api: BootedApp;

  beforeAll(async () => {
    worker = await bootApp();
    api = await bootApp({ DATA_DIR: worker.dataDir, WORKER: 'off' });
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
  });

  // Tokens come from the worker's helper: it signs with the dev key in the shared DATA_DIR.
  const call = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${api.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${worker.token('user_scaled')}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('writes through the stateless instance and reads what the worker projected', async () => {
    const created = await call('POST', '/v1/documents', { title: 'Scaled', body: 'out' });
    expect(created.status).toBe(201);
    const { id, position } = (await created.json()) as { id: string; position: string };
    const list = await call('GET', '/v1/documents', undefined, { 'x-consistent-after': position });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ items: [expect.objectContaining({ id, title: 'Scaled', access: 'owner' })], nextCursor: null });
  });

  it('serves consistent reads on a worker that does not lead (its runners stopped), from the leader\'s checkpoints', async () => {
    const follower = await bootApp({ DATA_DIR: worker.dataDir });
    try {
      // What a deposed or never-elected worker looks like: it has runners, but they are not running.
      await follower.app.get<ProjectionSet>(PROJECTION_SET).stop();
      const token = worker.token('user_follower');
      const created = await fetch(`${follower.baseUrl}/v1/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Followed' }),
      });
      const { position } = (await created.json()) as { position: string };
      const list = await fetch(`${follower.baseUrl}/v1/documents`, { headers: { authorization: `Bearer ${token}`, 'x-consistent-after': position } });
      expect(list.status).toBe(200);
      expect(((await list.json()) as { items: { title: string }[] }).items.map((d) => d.title)).toEqual(['Followed']);
      const ready = (await (await fetch(`${follower.baseUrl}/health/ready`)).json()) as { projections: { name: string; state: string }[] };
      expect(ready.projections.find((p) => p.name === 'documents')?.state).toBe('standby');
    } finally {
      await follower.close();
    }
  });

  it('reports the read models as run elsewhere, with their lag', async () => {
    const ready = (await (await fetch(`${api.baseUrl}/health/ready`)).json()) as { projections: { name: string; state: string; lag: string }[] };
    const documents = ready.projections.find((p) => p.name === 'documents');
    expect(documents).toMatchObject({ state: 'remote', lag: expect.stringMatching(/^\d+$/) });
  });
});
