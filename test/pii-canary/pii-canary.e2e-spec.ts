import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import type { EventStore } from '@ledgerline/event-store';
import { EVENT_STORE } from '../../apps/api/src/platform/event-store/event-store.tokens';
import { bootApp, type BootedApp } from '../../apps/api/test/app-boot';

/**
 * SPEC §8, information disclosure: personal data written through the API never reaches the disk,
 * the PostgreSQL read database or the logs in plaintext — only its JWE ciphertext does.
 */
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Every form in which a careless write could leave the value: UTF-8, UTF-16 and base64url of it. */
function needles(canary: string): Buffer[] {
  return [Buffer.from(canary, 'utf8'), Buffer.from(canary, 'utf16le'), Buffer.from(Buffer.from(canary).toString('base64url'))];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

/** The files (relative paths) whose bytes contain any form of any canary. */
function filesContaining(dir: string, canaries: string[]): string[] {
  const forms = canaries.flatMap(needles);
  return filesUnder(dir)
    .filter((file) => {
      const bytes = readFileSync(file);
      return forms.some((needle) => bytes.includes(needle));
    })
    .map((file) => path.relative(dir, file));
}

interface Canaries {
  email: string;
  phone: string;
  displayName: string;
  title: string;
  body: string;
  edit: string;
}

function newCanaries(): Canaries {
  const tag = randomUUID().replace(/-/g, '');
  return {
    email: `canary.${tag}@example.org`,
    // A real, valid E.164 number is needed; the digits after +1 415 555 are what make it unique enough here.
    phone: `+1415555${String(parseInt(tag.slice(0, 6), 16) % 10000).padStart(4, '0')}`,
    displayName: `Canary Name ${tag}`,
    title: `CANARY-TITLE-${tag}`,
    body: `CANARY-BODY-${tag} the quick brown fox`,
    edit: `CANARY-EDIT-${tag}`,
  };
}

/** Writes every canary through the API (and one refused request carrying one), reveals them through the audit API, erases the subject, and returns the last position. */
async function writeCanaries(booted: BootedApp, c: Canaries): Promise<string> {
  const user = `user_canary_${randomUUID().slice(0, 8)}`;
  const call = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${booted.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${booted.token(user)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const profile = await call('PUT', '/v1/me/profile', { displayName: c.displayName, email: c.email, phone: c.phone });
  expect(profile.status).toBe(200);
  const created = await call('POST', '/v1/documents', { title: c.title, body: c.body }, { 'idempotency-key': randomUUID() });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect((await call('PUT', `/v1/documents/${id}/shares/user_canary_reader`, { access: 'read' })).status).toBe(200);
  const edited = await call('PATCH', `/v1/documents/${id}`, { body: c.edit }, { 'if-match': '"1"' });
  expect(edited.status).toBe(200);
  // Refused requests carry the canary too: neither the answer nor the log may repeat it.
  const refused = await call('PUT', '/v1/me/profile', { email: `${c.email}@not-an-address`, nickname: c.displayName });
  expect(refused.status).toBe(400);
  expect(await refused.text()).not.toContain(c.email);
  const { position } = (await edited.json()) as { position: string };
  // Reading everything back makes the read models catch up and puts the plaintext through the query path.
  const read = await call('GET', `/v1/documents/${id}`, undefined, { 'x-consistent-after': position });
  expect(await read.json()).toMatchObject({ title: c.title, body: c.edit });
  const exported = await call('GET', '/v1/me/export', undefined, { 'x-consistent-after': position });
  expect(await exported.text()).toContain(c.email);
  // A compliance officer reveals the document's events with a reason: plaintext in that answer only.
  const revealed = await fetch(`${booted.baseUrl}/v1/audit/events?stream=document-${id}&reveal=true`, {
    headers: {
      authorization: `Bearer ${booted.token('user_compliance', { mfa: true })}`,
      'x-access-reason': 'canary check: reveal must leave nothing at rest',
      'x-consistent-after': position,
    },
  });
  expect(revealed.status).toBe(200);
  expect(await revealed.text()).toContain(c.title);
  // Then the data subject is erased.
  const erased = await fetch(`${booted.baseUrl}/v1/me`, { method: 'DELETE', headers: { authorization: `Bearer ${booted.token(user, { mfa: true })}` } });
  expect(erased.status).toBe(202);
  return position;
}

describe('PII canary (e2e)', () => {
  it('leaves no plaintext under DATA_DIR (database, WAL, keys) or in the logs, with SQLite read models', async () => {
    const canaries = newCanaries();
    const values = Object.values(canaries);
    const booted = await bootApp();
    let closed = false;
    try {
      await writeCanaries(booted, canaries);
      // While running: the WAL files hold the newest pages.
      expect(filesUnder(booted.dataDir).some((file) => file.endsWith('-wal'))).toBe(true);
      expect(filesContaining(booted.dataDir, values)).toEqual([]);
      await booted.app.close();
      closed = true;
      // After close: checkpointed database files.
      expect(filesUnder(booted.dataDir).some((file) => file.endsWith('read.sqlite'))).toBe(true);
      expect(filesContaining(booted.dataDir, values)).toEqual([]);
      expect(values.filter((value) => booted.logs().includes(value))).toEqual([]);
      expect(booted.logs().length).toBeGreaterThan(0);
    } finally {
      if (!closed) await booted.app.close();
      rmSync(booted.dataDir, { recursive: true, force: true });
    }
  });

  it('leaves no plaintext in a pg_dump of the PostgreSQL schema used, nor under DATA_DIR or in the logs', async () => {
    const canaries = newCanaries();
    const values = Object.values(canaries);
    const schema = `canary_${randomUUID().replace(/-/g, '')}`;
    const pool = new Pool({ connectionString: PG_URL });
    await pool.query(`CREATE SCHEMA "${schema}"`);
    const booted = await bootApp({ READ_DB_URL: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}` });
    try {
      await writeCanaries(booted, canaries);
      const dump = execFileSync('pg_dump', ['-h', '127.0.0.1', '-U', 'postgres', 'test', '-n', schema], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      // The dump holds the read models and the key table (so the check looks at real data).
      expect(dump).toContain(`CREATE TABLE ${schema}.documents`);
      expect(dump).toContain(`CREATE TABLE ${schema}.data_keys`);
      expect(dump).toContain('{"$jwe":"');
      expect(values.filter((value) => dump.includes(value))).toEqual([]);
      expect(filesContaining(booted.dataDir, values)).toEqual([]);
      expect(values.filter((value) => booted.logs().includes(value))).toEqual([]);
    } finally {
      await booted.close();
      await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      await pool.end();
    }
  });

  it('finds a canary that is there (the scan is not blind)', async () => {
    const booted = await bootApp();
    try {
      const canary = `CANARY-SELF-CHECK-${randomUUID()}`;
      // A value written outside field encryption, straight into the event store's file.
      const store = booted.app.get<EventStore>(EVENT_STORE);
      await store.append('canary-selfcheck', [{ id: randomUUID(), type: 'Plain', data: { text: canary }, metadata: {} }], 'no_stream');
      expect(filesContaining(booted.dataDir, [canary]).length).toBeGreaterThan(0);
    } finally {
      await booted.close();
    }
  });
});
