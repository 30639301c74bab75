import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseVerifierKey, verifyBundle, verifyTlogProof, type Jwks } from '@ledgerline/integrity';
import { apiClient, type Call, type CallOptions, type Json } from './api-client';
import { bootApp, type BootedApp } from './app-boot';
import { eventually } from '../../../test/support/eventually';

const VERIFIER_MAIN = path.resolve(__dirname, '../../../dist/apps/verifier/src/main.js');
const OFFICER = 'user_compliance';
/** A second officer for refusals, so they do not spend the first one's export budget (5 a minute). */
const OFFICER_2 = 'user_compliance_2';
const OFFICER_3 = 'user_compliance_3';
const ALICE = 'user_alice';
const BOB = 'user_bob';
const REASON = 'Data subject access request DSAR-4711, ticket reviewed by legal';

/**
 * Runs the compiled CLI as a user would. Asynchronously: the app under test shares this process, and a
 * blocked event loop would let its keep-alive timers fire all at once afterwards.
 */
async function cliRun(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  if (!existsSync(VERIFIER_MAIN)) throw new Error(`${VERIFIER_MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [VERIFIER_MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return { status, stdout, stderr };
}


function ndjsonLines(text: string): string[] {
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

describe('audit API for compliance officers (e2e)', () => {
  let booted: BootedApp;
  let dir: string;
  let call: Call;
  let documentId: string;
  let stream: string;
  let lastPosition: string;
  const eventIds: Record<string, string> = {};

  beforeAll(async () => {
    booted = await bootApp({ CHECKPOINT_INTERVAL_MS: '100', BOOTSTRAP_COMPLIANCE: [OFFICER, OFFICER_2, OFFICER_3].join(',') });
    dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-audit-e2e-'));
    call = apiClient(booted);

    // Alice creates, edits and shares a document; Bob works on his own one meanwhile.
    const created = await call('POST', '/v1/documents', { user: ALICE, body: { title: 'Q3 salary review', body: 'Carol: +12%' } });
    expect(created.status).toBe(201);
    documentId = created.body.id;
    stream = `document-${documentId}`;
    const edited = await call('PATCH', `/v1/documents/${documentId}`, { user: ALICE, body: { title: 'Q3 salary review (final)' }, headers: { 'if-match': '"0"' } });
    expect(edited.status).toBe(200);
    expect((await call('POST', '/v1/documents', { user: BOB, body: { title: 'Bob notes' } })).status).toBe(201);
    const shared = await call('PUT', `/v1/documents/${documentId}/shares/${BOB}`, { user: ALICE, body: { access: 'read' } });
    expect(shared.status).toBe(200);
    lastPosition = shared.body.position;
  });

  afterAll(async () => {
    await booted.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const officer = (headers: Record<string, string> = {}): CallOptions => ({ user: OFFICER, mfa: true, headers: { 'x-consistent-after': lastPosition, ...headers } });

  it('answers "what did Alice do to this document last week, and prove it": two requests and one CLI command', async () => {
    const weekAgo = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString();
    const query = new URLSearchParams({ actor: ALICE, stream, from: weekAgo });
    const listed = await call('GET', `/v1/audit/events?${query}`, officer());
    expect(listed.status).toBe(200);
    expect(listed.headers.get('cache-control')).toBe('no-store');
    expect(listed.body.nextCursor).toBeNull();
    expect(listed.body.items.map((item: Json) => item.type)).toEqual(['DocumentCreated', 'DocumentEdited', 'DocumentShared']);
    for (const item of listed.body.items) {
      expect(item).toMatchObject({ stream, actor: { kind: 'user', id: ALICE } });
      expect(typeof item.leafIndex).toBe('number');
      expect(item.position).toMatch(/^\d+$/);
      eventIds[item.type] = item.id;
    }
    expect(listed.body.items[0].data).toMatchObject({ documentId, ownerId: ALICE, title: '[encrypted]', body: '[encrypted]' });
    expect(listed.body.items[2].data).toEqual({ documentId, userId: BOB, access: 'read' });
    expect(listed.text).not.toContain('salary');

    // The keys come separately, from the public routes (or out of band): the bundle's own are not trusted.
    const jwksFile = path.join(dir, 'jwks.json');
    const logKeyFile = path.join(dir, 'log-key.txt');
    writeFileSync(jwksFile, await (await fetch(`${booted.baseUrl}/.well-known/jwks.json`)).text());
    writeFileSync(logKeyFile, await (await fetch(`${booted.baseUrl}/v1/audit/log-key`)).text());

    const exported = await call('POST', '/v1/audit/exports?waitForCheckpoint=true', { user: OFFICER, mfa: true, body: { stream } });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = ndjsonLines(exported.text);
    expect(lines).toHaveLength(5);
    const header = JSON.parse(lines[0]);
    expect(header).toMatchObject({ format: 'ledgerline-evidence/1', query: { stream } });
    expect(lines.slice(1, 4).map((line) => JSON.parse(line).id)).toEqual(listed.body.items.map((item: Json) => item.id));
    expect(JSON.parse(lines[4])).toMatchObject({ kind: 'end', count: 3, pending: 0 });
    const bundleFile = path.join(dir, 'bundle.ndjson');
    writeFileSync(bundleFile, exported.text);

    const verified = await cliRun(['bundle', bundleFile, '--log-key', logKeyFile, '--jwks', jwksFile]);
    expect({ status: verified.status, stderr: verified.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    expect(verified.stdout).toContain('3 events');

    const fails = async (variant: string, text: string): Promise<void> => {
      const file = path.join(dir, `${variant}.ndjson`);
      writeFileSync(file, text);
      const run = await cliRun(['bundle', file, '--log-key', logKeyFile, '--jwks', jwksFile]);
      expect({ variant, status: run.status }).toEqual({ variant, status: 1 });
    };
    // Any byte of an event line: structure, identity, data, envelope, proof.
    const eventLine = lines[2];
    for (const offset of [0, 12, Math.floor(eventLine.length / 3), Math.floor(eventLine.length / 2), eventLine.length - 5]) {
      const altered = eventLine.slice(0, offset) + (eventLine[offset] === 'A' ? 'B' : 'A') + eventLine.slice(offset + 1);
      await fails(`byte-${offset}`, [lines[0], lines[1], altered, ...lines.slice(3)].join('\n') + '\n');
    }
    await fails('line-dropped', [lines[0], lines[1], ...lines.slice(3)].join('\n') + '\n');
    await fails('first-line-dropped', [lines[0], ...lines.slice(2)].join('\n') + '\n');
    await fails('trailer-dropped', lines.slice(0, 4).join('\n') + '\n');
    await fails('lines-swapped', [lines[0], lines[2], lines[1], ...lines.slice(3)].join('\n') + '\n');
  });

  it('keeps administrators, plain users and officers without a fresh second factor out', async () => {
    for (const [who, mfa] of [
      ['user_admin', true],
      [ALICE, true],
    ] as const) {
      for (const [method, route, body] of [
        ['GET', '/v1/audit/events', undefined],
        ['GET', `/v1/audit/streams/${stream}/verification`, undefined],
        ['POST', '/v1/audit/exports', { stream }],
        ['POST', '/v1/audit/verifications', undefined],
      ] as const) {
        const answer = await call(method, route, { user: who, mfa, body });
        expect({ who, route, status: answer.status }).toEqual({ who, route, status: 403 });
      }
    }
    const stale = await call('GET', '/v1/audit/events', { user: OFFICER, mfa: false });
    expect(stale.status).toBe(403);
    expect(stale.body).toMatchObject({
      type: expect.stringContaining('reverification-required'),
      clerk_error: { type: 'forbidden', reason: 'reverification-error', metadata: { reverification: { level: 'second_factor' } } },
    });
    expect((await call('GET', '/v1/audit/events')).status).toBe(401);
  });

  it('reveals plaintext only with a reason, and seals who saw what and why', async () => {
    const route = `/v1/audit/events?stream=${stream}&reveal=true`;
    const missing = await call('GET', route, officer());
    expect(missing.status).toBe(400);
    expect(missing.body.type).toContain('access-reason-required');
    expect(missing.text).not.toContain('salary');
    expect((await call('GET', route, officer({ 'x-access-reason': 'because' }))).status).toBe(400);

    const revealed = await call('GET', route, officer({ 'x-access-reason': REASON }));
    expect(revealed.status).toBe(200);
    expect(revealed.body.items[0].data).toMatchObject({ title: 'Q3 salary review', body: 'Carol: +12%' });
    expect(revealed.body.items[1].data).toMatchObject({ title: 'Q3 salary review (final)' });
    expect(revealed.body.items.every((item: Json) => item.erased === false)).toBe(true);

    const single = await call('GET', `/v1/audit/events/${eventIds.DocumentEdited}?reveal=true`, officer({ 'x-access-reason': REASON }));
    expect(single.body.data.title).toBe('Q3 salary review (final)');

    const records = await eventually(async () => {
      const answer = await call('GET', `/v1/audit/events?type=SensitiveDataAccessed&actor=${OFFICER}`, officer());
      return answer.body.items.length >= 2 ? answer.body.items : undefined;
    });
    expect(records[0]).toMatchObject({
      actor: { kind: 'user', id: OFFICER, mfa: true },
      data: { route: 'GET /v1/audit/events', reason: '[encrypted]', eventIds: [eventIds.DocumentCreated, eventIds.DocumentEdited], streams: [stream] },
    });
    expect(records[1].data).toMatchObject({ route: 'GET /v1/audit/events/:id', eventIds: [eventIds.DocumentEdited] });
    // The reason is typed text: encrypted under the officer's own key (SPEC §6), never at rest in plaintext.
    const stored = new Database(path.join(booted.dataDir, 'events.sqlite'), { readonly: true });
    try {
      const rows = stored.prepare("SELECT data FROM events WHERE type = 'SensitiveDataAccessed'").all() as { data: string }[];
      expect(rows.length).toBeGreaterThanOrEqual(2);
      for (const row of rows) {
        expect(row.data).not.toContain('DSAR-4711');
        expect(JSON.parse(row.data).reason).toEqual({ $jwe: expect.stringMatching(/^eyJ/) });
      }
    } finally {
      stored.close();
    }
    const reasonShown = await call('GET', `/v1/audit/events/${records[0].id}?reveal=true`, officer({ 'x-access-reason': REASON }));
    expect(reasonShown.body.data.reason).toBe(REASON);
    // Redacted again on the next answer: the reveal was for that answer only.
    const after = await call('GET', `/v1/audit/events/${eventIds.DocumentEdited}`, officer());
    expect(after.body.data.title).toBe('[encrypted]');
  });

  it('records every audit access, refused ones included', async () => {
    const records = await eventually(async () => {
      const answer = await call('GET', `/v1/audit/events?type=AuditAccessed&actor=${OFFICER}&limit=500`, officer());
      const items = answer.body.items as Json[];
      return items.some((item) => item.data.route === 'POST /v1/audit/exports') && items.some((item) => item.data.status === 400) ? items : undefined;
    });
    expect(records.every((record) => record.stream.startsWith('audit-access-'))).toBe(true);
    expect(records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          data: { route: 'GET /v1/audit/events', status: 200, filters: expect.objectContaining({ actor: ALICE, stream }), resultCount: 3, reveal: false },
        }),
        expect.objectContaining({
          data: expect.objectContaining({ route: 'POST /v1/audit/exports', status: 200, filters: { stream }, resultCount: 3, pending: 0 }),
        }),
        expect.objectContaining({ data: { route: 'GET /v1/audit/events', status: 400, problem: 'access-reason-required' } }),
      ]),
    );
  });

  it('shows one event with its inclusion proof, and its receipt as a c2sp tlog-proof', async () => {
    const logKey = parseVerifierKey((await (await fetch(`${booted.baseUrl}/v1/audit/log-key`)).text()).trim());
    const detail = await call('GET', `/v1/audit/events/${eventIds.DocumentCreated}`, officer());
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: eventIds.DocumentCreated, proofStatus: 'proved', pending: false, metadata: { v: 1, type: 'DocumentCreated' } });
    expect(detail.body.inclusionProof.length).toBeGreaterThan(0);
    expect(detail.body.treeSize).toBeGreaterThan(detail.body.leafIndex);

    const receipt = await call('GET', `/v1/audit/events/${eventIds.DocumentCreated}/receipt`, officer());
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-type')).toContain('text/plain');
    expect(receipt.text.startsWith('c2sp.org/tlog-proof@v1\n')).toBe(true);
    expect(verifyTlogProof(detail.body.metadata.hash, receipt.text, logKey)).toMatchObject({ ok: true, index: detail.body.leafIndex });
    expect(verifyTlogProof(detail.body.metadata.hash.replace(/^./, (c: string) => (c === '0' ? '1' : '0')), receipt.text, logKey).ok).toBe(false);

    const checkpoints = await call('GET', '/v1/audit/events?stream=audit-checkpoints&limit=1', officer());
    const checkpointEvent = checkpoints.body.items[0];
    expect(checkpointEvent.leafIndex).toBeNull();
    expect((await call('GET', `/v1/audit/events/${checkpointEvent.id}`, officer())).body).toMatchObject({ proofStatus: 'not-a-leaf', inclusionProof: null });
    expect((await call('GET', `/v1/audit/events/${checkpointEvent.id}/receipt`, officer())).status).toBe(409);

    expect((await call('GET', '/v1/audit/events/7f3e0a52-3b1c-4c1e-9d7e-1a2b3c4d5e6f', officer())).status).toBe(404);
    expect((await call('GET', '/v1/audit/events/not-an-id', officer())).status).toBe(400);
  });

  it('pages with an opaque cursor and validates every filter strictly', async () => {
    const first = await call('GET', '/v1/audit/events?limit=2', officer());
    expect(first.body.items).toHaveLength(2);
    const second = await call('GET', `/v1/audit/events?limit=2&cursor=${first.body.nextCursor}`, officer());
    expect(BigInt(second.body.items[0].position)).toBeGreaterThan(BigInt(first.body.items[1].position));

    const bad = [
      'limit=501',
      'limit=0',
      'limit=abc',
      'unknown=1',
      'from=yesterday',
      'from=2026-01-01',
      'from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
      'cursor=!!',
      'cursor=YWJj',
      'type=not%20a%20type',
      'reveal=yes',
      `actor=${'x'.repeat(201)}`,
      'stream=a&stream=b',
    ];
    for (const query of bad) {
      const answer = await call('GET', `/v1/audit/events?${query}`, { user: OFFICER_2, mfa: true });
      expect({ query, status: answer.status }).toEqual({ query, status: 400 });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    for (const body of [{ stream, type: 'DocumentCreated' }, { stream: 'audit-checkpoints' }, { nope: 1 }]) {
      const answer = await call('POST', '/v1/audit/exports', { user: OFFICER_2, mfa: true, body });
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
    }
    expect((await call('POST', '/v1/audit/exports', { user: OFFICER_2, mfa: true, body: { stream: 'document-none' } })).status).toBe(404);
  });

  it('limits exports to five a minute per officer', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call('POST', '/v1/audit/exports', { user: OFFICER_3, mfa: true, body: { nope: i } })).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
  });

  it('records each audit request once: the record of a listing of records is one more record, nothing recursive', async () => {
    // OFFICER_3 so far: five refused exports (400, recorded) and one over the limit (429: the guard's, a security event).
    for (let i = 0; i < 3; i++) {
      expect((await call('GET', `/v1/audit/events?type=AuditAccessed&actor=${OFFICER_3}`, { user: OFFICER_3, mfa: true })).status).toBe(200);
    }
    // Records are sealed before their answers go out, so a later command's position is after all of them.
    const later = await call('POST', '/v1/documents', { user: ALICE, body: { title: 'later' } });
    const seen = await call('GET', `/v1/audit/events?type=AuditAccessed&actor=${OFFICER_3}`, { ...officer({ 'x-consistent-after': later.body.position }), user: OFFICER_2 });
    expect(seen.body.items.map((item: Json) => `${item.data.route} ${item.data.status}`)).toEqual([
      ...Array.from({ length: 5 }, () => 'POST /v1/audit/exports 400'),
      ...Array.from({ length: 3 }, () => 'GET /v1/audit/events 200'),
    ]);
  });

  it('exports a filtered query: every match, by leaf index, once a checkpoint covers them', async () => {
    const exported = await call('POST', '/v1/audit/exports?waitForCheckpoint=true', { user: OFFICER, mfa: true, body: { actor: ALICE } });
    expect(exported.status).toBe(200);
    const report = await verifyBundle(exported.text, {
      pinnedLogKey: (await (await fetch(`${booted.baseUrl}/v1/audit/log-key`)).text()).trim(),
      pinnedJwks: (await (await fetch(`${booted.baseUrl}/.well-known/jwks.json`)).json()) as Jwks,
    });
    expect(report).toMatchObject({ ok: true, keysSelfAsserted: false });
    const lines = ndjsonLines(exported.text).map((line) => JSON.parse(line));
    const events = lines.filter((line) => line.kind === 'event');
    expect(events.every((line) => line.metadata.actor.id === ALICE)).toBe(true);
    // Her three changes to the document, and the document she created since, each create after the quota slot it took.
    expect(events.map((line) => line.type)).toEqual(['DocumentSlotTaken', 'DocumentCreated', 'DocumentEdited', 'DocumentShared', 'DocumentSlotTaken', 'DocumentCreated']);
    expect(lines[lines.length - 1]).toMatchObject({ kind: 'end', count: 6, pending: 0 });
  });

  it('shows an erased subject’s values as null, flagged, when revealed', async () => {
    const dora = 'user_dora';
    const created = await call('POST', '/v1/documents', { user: dora, body: { title: 'Dora private', body: 'gone soon' } });
    expect((await call('DELETE', '/v1/me', { user: dora, mfa: true })).status).toBe(202);
    const erasedAt = await call('GET', `/v1/audit/events?stream=document-${created.body.id}&reveal=true`, {
      ...officer({ 'x-access-reason': REASON, 'x-consistent-after': created.body.position }),
    });
    expect(erasedAt.status).toBe(200);
    expect(erasedAt.body.items[0]).toMatchObject({ data: { title: null, body: null }, erased: true });
    expect(erasedAt.text).not.toContain('Dora private');
    const record = await eventually(async () => {
      const answer = await call('GET', `/v1/audit/events?type=SensitiveDataAccessed&actor=${OFFICER}`, officer());
      return answer.body.items.find((item: Json) => item.data.streams[0] === `document-${created.body.id}`);
    });
    expect(record.data).toMatchObject({ eventIds: [erasedAt.body.items[0].id], erasedEventIds: [erasedAt.body.items[0].id] });
  });

  it('checks a stream chain and the whole log, and names the first failure once an event is altered on disk', async () => {
    const chain = await call('GET', `/v1/audit/streams/${stream}/verification`, officer());
    expect(chain.body).toMatchObject({ stream, ok: true, count: 3, head: { revision: 2 } });
    expect((await call('GET', '/v1/audit/streams/document-none/verification', officer())).status).toBe(404);

    const runJob = async (): Promise<Json> => {
      const started = await call('POST', '/v1/audit/verifications', officer());
      expect(started.status).toBe(202);
      expect(started.headers.get('location')).toBe(`/v1/audit/verifications/${started.body.id}`);
      return eventually(async () => {
        const job = await call('GET', `/v1/audit/verifications/${started.body.id}`, officer());
        return job.body.state === 'running' || job.body.state === 'queued' ? undefined : job.body;
      });
    };
    const good = await runJob();
    expect(good).toMatchObject({ state: 'succeeded', startedBy: OFFICER, result: { ok: true } });
    expect(good.progress.checked).toBeGreaterThan(5);
    expect(good.result.checkpoints).toBeGreaterThan(0);
    expect((await call('GET', '/v1/audit/verifications/7f3e0a52-3b1c-4c1e-9d7e-1a2b3c4d5e6f', officer())).status).toBe(404);

    // Someone with file access rewrites the edit's data behind the API's back.
    const db = new Database(path.join(booted.dataDir, 'events.sqlite'));
    try {
      db.prepare('UPDATE events SET data = ? WHERE id = ?').run(JSON.stringify({ documentId, title: { $jwe: 'forged' } }), eventIds.DocumentEdited);
    } finally {
      db.close();
    }
    const broken = await call('GET', `/v1/audit/streams/${stream}/verification`, officer());
    expect(broken.body).toMatchObject({ stream, ok: false, count: 1, failure: { revision: 1, reason: 'data-hash' } });
    const bad = await runJob();
    expect(bad).toMatchObject({ state: 'failed', firstFailure: { reason: 'data-hash', stream, revision: 1 } });
  });
});
