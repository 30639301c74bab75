import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { EventStore } from '@ledgerline/event-store';
import { rebuildProjections, type ProjectionSet, type Projector, type ReadDb } from '@ledgerline/projections';
import { EVENT_STORE } from '../src/platform/event-store/event-store.tokens';
import { PROJECTION_SET, PROJECTORS, READ_DB } from '../src/platform/projections/projections.tokens';
import { bootApp, type BootedApp } from './app-boot';

/**
 * A read model can be dropped and rebuilt from the log (ARCHITECTURE, projections): after a rebuild
 * every query answers exactly as before, and the read-model tables hold exactly the same rows.
 */
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const READ_MODELS = ['documents', 'document-shares', 'profiles'];
const TABLES = ['documents', 'document_shares', 'document_share_subjects', 'profiles'];

const BACKENDS: [string, () => Promise<{ env: Record<string, string>; cleanUp(): Promise<void> }>][] = [
  ['SQLite', async () => ({ env: {}, cleanUp: async () => undefined })],
  [
    'PostgreSQL',
    async () => {
      const schema = `rebuild_${randomUUID().replace(/-/g, '')}`;
      const pool = new Pool({ connectionString: PG_URL });
      await pool.query(`CREATE SCHEMA "${schema}"`);
      return {
        env: { READ_DB_URL: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}` },
        cleanUp: async () => {
          await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
          await pool.end();
        },
      };
    },
  ],
];

describe.each(BACKENDS)('rebuilding the read models (%s)', (_name, backend) => {
  let booted: BootedApp;
  let cleanUp: () => Promise<void>;
  let position = '0';
  const users = ['user_rb_owner', 'user_rb_reader', 'user_rb_writer', 'user_rb_erased'];

  async function call(method: string, url: string, user: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(`${booted.baseUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${booted.token(user, { mfa: true })}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 400) throw new Error(`${method} ${url} as ${user}: ${response.status} ${await response.text()}`);
    return response;
  }

  async function write(method: string, url: string, user: string, body?: unknown): Promise<{ id?: string; position: string }> {
    const answer = (await (await call(method, url, user, body)).json()) as { id?: string; position: string };
    if (BigInt(answer.position) > BigInt(position)) position = answer.position;
    return answer;
  }

  /** Every query answer of every user, paging through the lists two at a time. */
  async function answers(): Promise<unknown> {
    const out: Record<string, unknown> = {};
    for (const user of users) {
      const pages: unknown[] = [];
      let cursor: string | null = null;
      do {
        const page = (await (
          await call('GET', `/v1/documents?limit=2${cursor ? `&cursor=${cursor}` : ''}`, user, undefined, { 'x-consistent-after': position })
        ).json()) as { nextCursor: string | null };
        pages.push(page);
        cursor = page.nextCursor;
      } while (cursor !== null);
      const profile = await (await call('GET', '/v1/me/profile', user)).json();
      // The export's first line carries the time it was generated; the rest must match.
      const exported = (await (await call('GET', '/v1/me/export', user)).text()).split('\n').slice(1);
      out[user] = { pages, profile, exported };
    }
    return out;
  }

  async function tables(db: ReadDb): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const table of TABLES) out[table] = await db.query(`SELECT * FROM ${table} ORDER BY 1, 2`);
    return out;
  }

  beforeAll(async () => {
    const prepared = await backend();
    cleanUp = prepared.cleanUp;
    booted = await bootApp(prepared.env);
  });
  afterAll(async () => {
    await booted?.close();
    await cleanUp?.();
  });

  it('answers every query exactly as before, from the same rows', async () => {
    const [owner, reader, writer, erased] = users;
    await write('PUT', '/v1/me/profile', owner, { displayName: 'Owner', email: 'owner@example.org' });
    await write('PUT', '/v1/me/profile', erased, { displayName: 'Soon gone', phone: '+14155552671' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await write('POST', '/v1/documents', owner, { title: `Doc ${i}`, body: `Body ${i}` })).id as string);
    const erasedDoc = (await write('POST', '/v1/documents', erased, { title: 'Erased owner', body: 'gone' })).id as string;
    await write('PUT', `/v1/documents/${ids[0]}/shares/${reader}`, owner, { access: 'read' });
    await write('PUT', `/v1/documents/${ids[1]}/shares/${writer}`, owner, { access: 'write' });
    await write('PUT', `/v1/documents/${ids[2]}/shares/${reader}`, owner, { access: 'write' });
    await write('DELETE', `/v1/documents/${ids[2]}/shares/${reader}`, owner);
    await write('PUT', `/v1/documents/${erasedDoc}/shares/${reader}`, erased, { access: 'read' });
    await write('PATCH', `/v1/documents/${ids[1]}`, writer, { body: 'Edited by the writer' });
    await write('DELETE', `/v1/documents/${ids[3]}`, owner);
    await write('DELETE', '/v1/me', erased);

    const db = booted.app.get<ReadDb>(READ_DB);
    const before = await answers();
    const rowsBefore = await tables(db);
    expect(rowsBefore.documents).toHaveLength(6);

    const set = booted.app.get<ProjectionSet>(PROJECTION_SET);
    await set.stop();
    // This suite's read models only: the Merkle log belongs to the notary, which keeps running here.
    const mine = booted.app.get<Projector[]>(PROJECTORS).filter((p) => READ_MODELS.includes(p.name));
    expect(mine).toHaveLength(READ_MODELS.length);
    const result = await rebuildProjections(booted.app.get<EventStore>(EVENT_STORE), db, mine);
    // It replayed at least every write of this test (the notary may append checkpoints meanwhile).
    expect(result.position).toBeDefined();
    expect(result.position! >= BigInt(position)).toBe(true);
    await set.start();

    expect(await tables(db)).toEqual(rowsBefore);
    expect(await answers()).toEqual(before);
  });
});
