import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Redis from 'ioredis';
import { Pool } from 'pg';
import type { EventStore, RecordedEvent } from '@ledgerline/event-store';
import { jwksKeyMap, verifyChain } from '@ledgerline/integrity';
import { EVENT_STORE } from '../src/platform/event-store/event-store.tokens';
import { idempotencyRecordKey } from '../src/platform/idempotency/request-fingerprint';
import { apiClient, type Answer, type Call, type Json } from './api-client';
import { bootApp, type BootedApp } from './app-boot';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

function ndjson(text: string): Json[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

/** Read-model backends: the embedded SQLite file, and PostgreSQL confined to a schema of its own for this run. */
interface Backend {
  env: Record<string, string>;
  /** Rows of the `documents` read model and of the key table, where this backend keeps them. */
  count(dataDir: string, table: 'documents' | 'data_keys'): Promise<number>;
  cleanUp(): Promise<void>;
}

const BACKENDS: [string, () => Promise<Backend>][] = [
  [
    'SQLite read models',
    async () => ({
      env: {},
      count: async (dataDir, table) => {
        // Embedded: the read models in read.sqlite, the keys in keys.sqlite (as durable as the log).
        const db = new Database(path.join(dataDir, table === 'data_keys' ? 'keys.sqlite' : 'read.sqlite'), { readonly: true });
        try {
          return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
        } finally {
          db.close();
        }
      },
      cleanUp: async () => undefined,
    }),
  ],
  [
    'PostgreSQL read models, Redis',
    async () => {
      const schema = `journey_${randomUUID().replace(/-/g, '')}`;
      const pool = new Pool({ connectionString: PG_URL });
      await pool.query(`CREATE SCHEMA "${schema}"`);
      return {
        env: {
          READ_DB_URL: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
          // Idempotency records go to Redis too; rate limits would be shared with every other suite there, so they are off.
          REDIS_URL: 'redis://127.0.0.1:6379',
          RATE_LIMIT_IP_PER_MIN: '0',
          RATE_LIMIT_USER_PER_MIN: '0',
        },
        count: async (_dataDir, table) => Number((await pool.query(`SELECT COUNT(*) AS n FROM "${schema}".${table}`)).rows[0].n),
        cleanUp: async () => {
          await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
          await pool.end();
        },
      };
    },
  ],
];

describe.each(BACKENDS)('a user journey (%s)', (_name, backend) => {
  let booted: BootedApp;
  let api: Call;
  let prepared: Backend;
  const alice = `user_alice_${randomUUID().slice(0, 8)}`;
  const bob = 'user_bob';
  const carol = 'user_carol';
  const dave = 'user_dave';
  let lastPosition = '0';
  const consistent = (): Record<string, string> => ({ 'x-consistent-after': lastPosition });
  const track = (answer: Answer): Answer => {
    if (typeof answer.body?.position === 'string' && BigInt(answer.body.position) > BigInt(lastPosition)) lastPosition = answer.body.position;
    return answer;
  };
  let docId: string;
  const usedIdempotencyKeys: string[] = [];
  const touchedStreams = new Set<string>();

  beforeAll(async () => {
    prepared = await backend();
    booted = await bootApp(prepared.env);
    api = apiClient(booted);
  });
  afterAll(async () => {
    await booted?.close();
    await prepared?.cleanUp();
    // The app's records in the shared Redis would otherwise outlive the run by 24 h. None when only
    // some tests ran (`-t`): DEL without a key is an error, and it left the connection open.
    if (prepared?.env.REDIS_URL && usedIdempotencyKeys.length > 0) {
      const redis = new Redis(prepared.env.REDIS_URL);
      try {
        await redis.del(...usedIdempotencyKeys.map((key) => `ledgerline:idempotency:${idempotencyRecordKey(alice, key)}`));
      } finally {
        await redis.quit();
      }
    }
  });

  it('keeps a profile, encrypted, and reads it back after the write', async () => {
    const put = track(
      await api('PUT', '/v1/me/profile', { user: alice, body: { displayName: 'Alice Liddell', email: 'alice@example.org', phone: '+14155552671' } }),
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ displayName: 'Alice Liddell', email: 'alice@example.org', phone: '+14155552671', erased: false, revision: 0 });
    expect(put.headers.get('cache-control')).toBe('no-store');
    touchedStreams.add(`account-${alice}`);

    const got = await api('GET', '/v1/me/profile', { user: alice, headers: consistent() });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ displayName: 'Alice Liddell', email: 'alice@example.org', phone: '+14155552671', erased: false });

    const cleared = track(await api('PUT', '/v1/me/profile', { user: alice, body: { phone: null } }));
    expect(cleared.body).toMatchObject({ displayName: 'Alice Liddell', phone: null, revision: 1 });

    const me = await api('GET', '/v1/me', { user: alice });
    expect(me.body).toEqual({ id: alice, roles: ['user'], plan: 'free', mfa: { verified: false, ageMinutes: null, fresh: false } });
  });

  it('refuses invalid profiles with 400 naming the member, never echoing the value', async () => {
    for (const body of [{ email: 'not-an-email-CANARY' }, { phone: '0415 555 2671' }, { displayName: 'x'.repeat(101) }, { nickname: 'CANARY' }, { email: 42 }]) {
      const answer = await api('PUT', '/v1/me/profile', { user: alice, body });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual(Object.keys(body));
      // The random errorId (hex) could hold "0415" by chance: look at the rest of the answer.
      const echoed = answer.text.replace(String(answer.body.errorId), '');
      expect(echoed).not.toContain('CANARY');
      expect(echoed).not.toContain('0415');
    }
  });

  it('creates a document once per Idempotency-Key', async () => {
    const key = randomUUID();
    usedIdempotencyKeys.push(key);
    const created = track(await api('POST', '/v1/documents', { user: alice, body: { title: 'Diary', body: 'Dear diary' }, headers: { 'idempotency-key': key } }));
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), revision: 0, position: expect.stringMatching(/^\d+$/) });
    expect(created.headers.get('location')).toBe(`/v1/documents/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('"0"');
    docId = created.body.id;
    touchedStreams.add(`document-${docId}`);
    // The event carries the caller and the request: correlation = the request id, a causation of its own.
    const [event] = await collect(booted.app.get<EventStore>(EVENT_STORE).readStream(`document-${docId}`));
    expect(event.metadata).toMatchObject({ actor: { kind: 'user', id: alice }, $correlationId: created.headers.get('x-request-id') });
    expect(event.metadata.$causationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.metadata.$causationId).not.toBe(event.metadata.$correlationId);
    expect(JSON.stringify(event.data)).not.toContain('Dear diary');

    const retried = await api('POST', '/v1/documents', { user: alice, body: { body: 'Dear diary', title: 'Diary' }, headers: { 'idempotency-key': key } });
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual(created.body);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.headers.get('location')).toBe(created.headers.get('location'));

    const reused = await api('POST', '/v1/documents', { user: alice, body: { title: 'Other', body: '' }, headers: { 'idempotency-key': key } });
    expect(reused.status).toBe(422);

    const list = await api('GET', '/v1/documents', { user: alice, headers: consistent() });
    expect(list.body.items.filter((d: { title: string }) => d.title === 'Diary')).toHaveLength(1);
  });

  it('serves the document to its owner with an ETag, and 404 to anyone it is not shared with', async () => {
    const got = await api('GET', `/v1/documents/${docId}`, { user: alice });
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe('"0"');
    expect(got.body).toMatchObject({ id: docId, ownerId: alice, access: 'owner', title: 'Diary', body: 'Dear diary', erased: false, revision: 0, shares: [] });
    for (const path of [`/v1/documents/${docId}`, `/v1/documents/${randomUUID()}`, '/v1/documents/not-a-uuid']) {
      expect((await api('GET', path, { user: dave })).status).toBe(404);
    }
    expect((await api('PATCH', `/v1/documents/${docId}`, { user: dave, body: { title: 'mine' } })).status).toBe(404);
  });

  it('shares read and write access, and each share does what it says', async () => {
    const shareRead = track(await api('PUT', `/v1/documents/${docId}/shares/${bob}`, { user: alice, body: { access: 'read' } }));
    expect(shareRead.status).toBe(200);
    expect(shareRead.body).toMatchObject({ id: docId, userId: bob, access: 'read', revision: 1 });
    track(await api('PUT', `/v1/documents/${docId}/shares/${carol}`, { user: alice, body: { access: 'write' } }));

    const asBob = await api('GET', `/v1/documents/${docId}`, { user: bob });
    expect(asBob.body).toMatchObject({ access: 'read', title: 'Diary', body: 'Dear diary' });
    expect(asBob.body).not.toHaveProperty('shares');
    const bobEdit = await api('PATCH', `/v1/documents/${docId}`, { user: bob, body: { body: 'bob was here' } });
    expect(bobEdit.status).toBe(403);
    expect(bobEdit.body.type).toMatch(/document-read-only$/);
    expect((await api('PUT', `/v1/documents/${docId}/shares/${dave}`, { user: bob, body: { access: 'read' } })).status).toBe(403);

    const carolEdit = track(await api('PATCH', `/v1/documents/${docId}`, { user: carol, body: { body: 'Dear diary, carol edits' }, headers: { 'if-match': '"2"' } }));
    expect(carolEdit.status).toBe(200);
    expect(carolEdit.headers.get('etag')).toBe('"3"');

    const owner = await api('GET', `/v1/documents/${docId}`, { user: alice });
    expect(owner.body).toMatchObject({ body: 'Dear diary, carol edits', revision: 3 });
    expect(owner.body.shares).toEqual(expect.arrayContaining([{ userId: bob, access: 'read' }, { userId: carol, access: 'write' }]));

    const bobList = await api('GET', '/v1/documents', { user: bob, headers: consistent() });
    expect(bobList.body.items).toEqual([expect.objectContaining({ id: docId, access: 'read', title: 'Diary', revision: 3 })]);
    expect((await api('GET', '/v1/documents', { user: dave, headers: consistent() })).body).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a stale If-Match with 412 and accepts the current one', async () => {
    const stale = await api('PATCH', `/v1/documents/${docId}`, { user: alice, body: { title: 'Stale' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    expect((await api('PATCH', `/v1/documents/${docId}`, { user: alice, body: { title: 'Bad tag' }, headers: { 'if-match': 'W/"x"' } })).status).toBe(412);
    const fresh = track(await api('PATCH', `/v1/documents/${docId}`, { user: alice, body: { title: 'Diary 2' }, headers: { 'if-match': '"3"' } }));
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ id: docId, revision: 4 });
    expect((await api('PATCH', `/v1/documents/${docId}`, { user: alice, body: {} })).status).toBe(400);
    expect((await api('PATCH', `/v1/documents/${docId}`, { user: alice, body: { title: 'x'.repeat(201) } })).status).toBe(400);
  });

  it('pages through the list with an opaque cursor', async () => {
    for (const title of ['Second', 'Third']) {
      const created = track(await api('POST', '/v1/documents', { user: alice, body: { title, body: `${title} body` } }));
      touchedStreams.add(`document-${created.body.id}`);
    }
    const first = await api('GET', '/v1/documents?limit=2', { user: alice, headers: consistent() });
    expect(first.body.items.map((d: { title: string }) => d.title)).toEqual(['Third', 'Second']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api('GET', `/v1/documents?limit=2&cursor=${first.body.nextCursor}`, { user: alice });
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: docId, title: 'Diary 2' })], nextCursor: null });
    expect((await api('GET', '/v1/documents?limit=101', { user: alice })).status).toBe(400);
    expect((await api('GET', '/v1/documents?cursor=%%%', { user: alice })).status).toBe(400);
    expect((await api('GET', '/v1/documents?sort=title', { user: alice })).status).toBe(400);
  });

  it('unshares and deletes, honouring If-Match', async () => {
    track(await api('DELETE', `/v1/documents/${docId}/shares/${bob}`, { user: alice }));
    expect((await api('GET', `/v1/documents/${docId}`, { user: bob })).status).toBe(404);
    expect((await api('DELETE', `/v1/documents/${docId}`, { user: carol })).status).toBe(403);
    expect((await api('DELETE', `/v1/documents/${docId}`, { user: alice, headers: { 'if-match': '"0"' } })).status).toBe(412);
    const removed = track(await api('DELETE', `/v1/documents/${docId}`, { user: alice, headers: { 'if-match': '"5"' } }));
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: docId, deleted: true, revision: 6 });
    expect((await api('GET', `/v1/documents/${docId}`, { user: alice })).status).toBe(404);
    expect((await api('GET', `/v1/documents/${docId}`, { user: carol })).status).toBe(404);
    const list = await api('GET', '/v1/documents', { user: alice, headers: consistent() });
    expect(list.body.items.map((d: { title: string }) => d.title)).toEqual(['Third', 'Second']);
  });

  it('exports every event about the caller, decrypted, as NDJSON', async () => {
    const answer = await api('GET', '/v1/me/export', { user: alice, headers: consistent() });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = ndjson(answer.text);
    expect(lines[0]).toMatchObject({ kind: 'export', subject: alice });
    const events = lines.filter((l) => l.kind === 'event');
    expect(lines[lines.length - 1]).toEqual({ kind: 'end', count: events.length });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['ProfileUpdated', 'DocumentCreated', 'DocumentShared', 'DocumentEdited', 'DocumentDeleted']));
    expect(events.find((e) => e.type === 'ProfileUpdated').data).toMatchObject({ email: 'alice@example.org' });
    expect(events.find((e) => e.type === 'DocumentCreated' && e.data.documentId === docId).data).toMatchObject({ title: 'Diary', body: 'Dear diary' });
    // Carol's edit is in Alice's document: listed, with Carol's id but not her session.
    expect(events.find((e) => e.type === 'DocumentEdited' && e.actor.id === carol).actor).toEqual({ kind: 'user', id: carol });

    const bobExport = ndjson((await api('GET', '/v1/me/export', { user: bob })).text).filter((l) => l.kind === 'event');
    expect(bobExport.map((e) => e.type)).toEqual(['DocumentShared', 'DocumentUnshared']);
    expect(JSON.stringify(bobExport)).not.toContain('Diary');
  });

  it('erases the subject: MFA required, values read back erased, chains still verify', async () => {
    const shared = track(await api('PUT', `/v1/documents/${(await api('GET', '/v1/documents?limit=1', { user: alice })).body.items[0].id}/shares/${carol}`, { user: alice, body: { access: 'read' } }));
    const noMfa = await api('DELETE', '/v1/me', { user: alice });
    expect(noMfa.status).toBe(403);
    expect(noMfa.body.type).toMatch(/reverification-required$/);

    const erased = track(await api('DELETE', '/v1/me', { user: alice, mfa: true }));
    expect(erased.status).toBe(202);
    expect(erased.body).toEqual({ erased: true, position: expect.stringMatching(/^\d+$/) });

    expect((await api('GET', '/v1/me/profile', { user: alice, headers: consistent() })).body).toEqual({ displayName: null, email: null, phone: null, erased: true });
    const asCarol = await api('GET', `/v1/documents/${shared.body.id}`, { user: carol });
    expect(asCarol.body).toMatchObject({ title: null, body: null, erased: true, access: 'read' });
    const list = await api('GET', '/v1/documents', { user: alice, headers: consistent() });
    expect(list.body.items.every((d: { title: unknown; erased: boolean }) => d.title === null && d.erased)).toBe(true);

    const exported = ndjson((await api('GET', '/v1/me/export', { user: alice })).text);
    expect(exported.find((l) => l.type === 'ProfileUpdated')).toMatchObject({ data: { email: null }, erased: true });
    expect(exported.find((l) => l.type === 'SubjectErased')).toBeDefined();
    expect(answerContains(exported, 'alice@example.org')).toBe(false);

    expect((await api('PUT', '/v1/me/profile', { user: alice, body: { displayName: 'Back' } })).status).toBe(410);
    expect((await api('POST', '/v1/documents', { user: alice, body: { title: 'After' } })).status).toBe(410);
    expect((await api('DELETE', '/v1/me', { user: alice, mfa: true })).status).toBe(410);

    const keys = await jwksKeyMap((await api('GET', '/.well-known/jwks.json')).body);
    const store = booted.app.get<EventStore>(EVENT_STORE);
    for (const stream of touchedStreams) {
      const events = await collect(store.readStream(stream));
      expect(events.length).toBeGreaterThan(0);
      expect(verifyChain(events, keys)).toMatchObject({ ok: true, count: events.length });
    }
  });

  it('keeps a free-plan user to 10 live documents', async () => {
    const erin = `user_erin_${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 10; i++) expect(track(await api('POST', '/v1/documents', { user: erin, body: { title: `d${i}` } })).status).toBe(201);
    const over = await api('POST', '/v1/documents', { user: erin, body: { title: 'one too many' } });
    expect(over.status).toBe(403);
    expect(over.body.type).toMatch(/quota-exceeded$/);
    const first = (await api('GET', '/v1/documents?limit=1', { user: erin, headers: consistent() })).body.items[0];
    expect((await api('DELETE', `/v1/documents/${first.id}`, { user: erin })).status).toBe(200);
    expect(track(await api('POST', '/v1/documents', { user: erin, body: { title: 'fits again' } })).status).toBe(201);
  });

  it('holds the quota under concurrent creates: 14 at once from a new free-plan user → 10 created, 4 refused', async () => {
    const frank = `user_frank_${randomUUID().slice(0, 8)}`;
    const answers = await Promise.all(Array.from({ length: 14 }, (_, i) => api('POST', '/v1/documents', { user: frank, body: { title: `c${i}` } })));
    const created = answers.filter((answer) => answer.status === 201).map(track);
    const refused = answers.filter((answer) => answer.status === 403 && /quota-exceeded$/.test(String(answer.body.type)));
    expect({ created: created.length, refused: refused.length }).toEqual({ created: 10, refused: 4 });
    const listed = await api('GET', '/v1/documents?limit=50', { user: frank, headers: consistent() });
    expect(listed.body.items).toHaveLength(10);
  });

  it('kept the read models and the key table where the backend keeps them', async () => {
    await api('GET', '/v1/documents', { user: alice, headers: consistent() });
    expect(await prepared.count(booted.dataDir, 'documents')).toBeGreaterThanOrEqual(14);
    expect(await prepared.count(booted.dataDir, 'data_keys')).toBeGreaterThanOrEqual(2);
  });
});

function answerContains(lines: unknown[], text: string): boolean {
  return JSON.stringify(lines).includes(text);
}
