import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decideDocument, documentDecider, DomainError, type EncryptedValue } from '@ledgerline/domain';
import { ConcurrencyError, SqliteEventStore } from '@ledgerline/event-store';
import { generateEd25519Pem, Keyring } from '@ledgerline/integrity';
import { SealedLedgerWriter, type CommandContext } from '@ledgerline/ledger';
import { decideAndAppend } from './decide-and-append';
import { PreconditionFailedError } from './precondition-failed.error';
import { mapWriteContention, WriteContentionError } from './write-contention.error';

const context: CommandContext = {
  actor: { kind: 'user', id: 'user_owner' },
  correlationId: '7d1c9d0e-4a8e-4a43-9a53-bb2d3f0a4a01',
  causationId: '0b3f1f8e-2a4c-4f0b-8d3e-5f2a1c9e7b02',
};
const metadata = { now: '2026-11-28T01:18:20.123Z' };
const sealed = (label: string): EncryptedValue => ({ $jwe: `eyJhbGciOiJkaXIifQ..aXY.${Buffer.from(label).toString('base64url')}.dGFn` });

describe('decideAndAppend (real SQLite store, two independent writers)', () => {
  let dir: string;
  let store: SqliteEventStore;
  // Two writers on one store act like two API instances: their appends are not queued behind each other.
  let first: SealedLedgerWriter;
  let second: SealedLedgerWriter;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'decide-append-'));
    store = new SqliteEventStore(path.join(dir, 'events.sqlite'));
    const keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
    first = new SealedLedgerWriter(store, keyring);
    second = new SealedLedgerWriter(store, keyring);
    await decideAndAppend({
      store,
      writer: first,
      stream: 'document-d1',
      decider: documentDecider,
      context,
      decide: ({ state }) =>
        decideDocument(
          { type: 'CreateDocument', data: { documentId: 'd1', ownerId: 'user_owner', title: sealed('t'), body: sealed('b') }, metadata },
          state,
        ),
    });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const edit = (writer: SealedLedgerWriter, label: string, expectedRevision?: number, actorId = 'user_owner') =>
    decideAndAppend({
      store,
      writer,
      stream: 'document-d1',
      decider: documentDecider,
      context,
      expectedRevision,
      decide: ({ state }) => decideDocument({ type: 'EditDocument', data: { documentId: 'd1', actorId, title: sealed(label) }, metadata }, state),
    });

  it('decides again on a fresher state when another writer got there first and the client named no revision', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => edit(i % 2 ? first : second, `t${i}`)));
    expect(results.map((r) => r.revision).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('answers a stale If-Match with PreconditionFailedError, and lets exactly one of racing If-Match writers win', async () => {
    await expect(edit(first, 'stale', 5)).rejects.toBeInstanceOf(PreconditionFailedError);
    const outcomes = await Promise.allSettled([edit(first, 'a', 0), edit(second, 'b', 0), edit(second, 'c', 0)]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(PreconditionFailedError);
  });

  it('answers WriteContentionError (409), not a 412, when a command without If-Match loses every try', async () => {
    // Another writer always lands first: this writer's every append meets a conflict.
    const alwaysBeaten = { append: async () => Promise.reject(new ConcurrencyError('document-d1', 0, 1)), appendTogether: async () => Promise.reject(new Error('not used')), appendsTogetherAtomically: false };
    const outcome = decideAndAppend({
      store,
      writer: alwaysBeaten,
      stream: 'document-d1',
      decider: documentDecider,
      context,
      decide: ({ state }) => decideDocument({ type: 'EditDocument', data: { documentId: 'd1', actorId: 'user_owner', title: sealed('x') }, metadata }, state),
    });
    await expect(outcome).rejects.toBeInstanceOf(WriteContentionError);
    expect(mapWriteContention(await outcome.catch((e: unknown) => e))).toMatchObject({ status: 409, type: expect.stringMatching(/write-contention$/) });
  });

  it("puts the decider's not-found before a 412, so a stranger learns nothing from If-Match", async () => {
    await expect(edit(first, 'x', 99, 'user_stranger')).rejects.toMatchObject({ code: 'document-not-found' });
    await expect(edit(first, 'x', 99, 'user_stranger')).rejects.toBeInstanceOf(DomainError);
  });

  it('writes nothing and reports the current head when the decider decides nothing', async () => {
    const result = await decideAndAppend({
      store,
      writer: first,
      stream: 'document-d1',
      decider: documentDecider,
      context,
      decide: ({ state }) => decideDocument({ type: 'UnshareDocument', data: { documentId: 'd1', actorId: 'user_owner', userId: 'user_nobody' }, metadata }, state),
    });
    expect(result).toMatchObject({ written: 0, revision: 0, position: (await store.readLastEvent('document-d1'))?.position });
  });
});
