import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { documentQuotaStreamName, documentStreamName, FREE_PLAN_DOCUMENT_LIMIT } from '@ledgerline/domain';
import { ConcurrencyError, SqliteEventStore } from '@ledgerline/event-store';
import { generateEd25519Pem, Keyring } from '@ledgerline/integrity';
import { SealedLedgerWriter, type CommandContext } from '@ledgerline/ledger';
import type { ReadDb } from '@ledgerline/projections';
import { DocumentQuotas } from './document-quotas';
import { LegacyDocumentSlots } from './legacy-document-slots';

const owner = 'user_quota_owner';
const context: CommandContext = {
  actor: { kind: 'user', id: owner },
  correlationId: '7d1c9d0e-4a8e-4a43-9a53-bb2d3f0a4a01',
  causationId: '0b3f1f8e-2a4c-4f0b-8d3e-5f2a1c9e7b02',
};
const metadata = { now: '2026-12-07T08:00:00.000Z' };
/** No document predates the quota stream here: the legacy read model is empty. */
const noLegacy = new LegacyDocumentSlots({ query: async () => [] } as unknown as ReadDb);

describe('DocumentQuotas: two instances on one store, each holding its own fold', () => {
  let dir: string;
  let store: SqliteEventStore;
  let first: DocumentQuotas;
  let second: DocumentQuotas;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'document-quotas-'));
    store = new SqliteEventStore(path.join(dir, 'events.sqlite'));
    const keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
    // Each with its own writer, like two API processes: neither hears of the other's appends.
    first = new DocumentQuotas(store, new SealedLedgerWriter(store, keyring), noLegacy);
    second = new DocumentQuotas(store, new SealedLedgerWriter(store, keyring), noLegacy);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const take = async (quotas: DocumentQuotas, documentId: string) => {
    await quotas.createWithSlot({ ownerId: owner, documentId, ownerPlan: async () => 'free', context, metadata }, async () => ({
      stream: documentStreamName(documentId),
      events: [{ type: 'DocumentCreated', data: { documentId, ownerId: owner } }],
      expected: 'no_stream',
    }));
    return documentId;
  };
  const slots = async () => {
    let count = 0;
    for await (const event of store.readStream(documentQuotaStreamName(owner))) count += event.type === 'DocumentSlotTaken' ? 1 : -1;
    return count;
  };

  it('writes the slot and the document in one transaction: neither exists without the other', async () => {
    await take(first, 'd1');
    expect((await store.readLastEvent(documentStreamName('d1')))?.revision).toBe(0);
    const position = (await store.readLastEvent(documentStreamName('d1')))?.position;
    expect((await store.readLastEvent(documentQuotaStreamName(owner)))?.position).toBe((position as bigint) - 1n);
    // A document stream that exists already: the whole write is refused, no slot is left behind.
    await expect(take(second, 'd1')).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await slots()).toBe(1);
    expect((await store.readLastEvent(documentQuotaStreamName(owner)))?.revision).toBe(0);
  });

  it('takes a slot on a held fold without reading the stream', async () => {
    await take(first, 'd1');
    const reads = jest.spyOn(store, 'readStream');
    await take(first, 'd2');
    expect(reads).not.toHaveBeenCalled();
    expect(await slots()).toBe(2);
  });

  it("decides again on the head when its held fold is behind the other instance's take", async () => {
    await take(first, 'd1');
    await take(second, 'd2'); // first's fold does not know this slot
    await take(first, 'd3');
    expect(await slots()).toBe(3);
    expect((await store.readLastEvent(documentQuotaStreamName(owner)))?.revision).toBe(2);
  });

  it("does not refuse at the limit on a held fold that missed the other instance's free", async () => {
    for (let i = 1; i <= FREE_PLAN_DOCUMENT_LIMIT; i++) await take(first, `d${i}`);
    await expect(take(first, 'one-too-many')).rejects.toMatchObject({ code: 'quota-exceeded' });
    await second.free(owner, 'd1', context, metadata);
    await expect(take(first, 'after-free')).resolves.toBe('after-free');
    expect(await slots()).toBe(FREE_PLAN_DOCUMENT_LIMIT);
    await expect(take(second, 'still-full')).rejects.toMatchObject({ code: 'quota-exceeded' });
  });

  it("frees on the head when its held fold missed the other instance's take of that slot", async () => {
    await take(first, 'd1');
    await take(second, 'd2');
    await first.free(owner, 'd2', context, metadata); // a no-op on first's fold, not on the stream
    expect(await slots()).toBe(1);
  });
});
