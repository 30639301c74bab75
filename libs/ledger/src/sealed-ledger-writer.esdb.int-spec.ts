import { openEventStore, type EventStore, type RecordedEvent } from '@ledgerline/event-store';
import { generateEd25519Pem, Keyring, verifyChain } from '@ledgerline/integrity';
import { standInFixtures, type EsdbStandIn } from '../../../test/esdb-stand-in';
import type { CommandContext } from './actor';
import { SealedLedgerWriter } from './sealed-ledger-writer';

// The sealed write path on the EventStoreDB adapter, against the gRPC stand-in: what the adapter alone cannot show.

const context: CommandContext = {
  actor: { kind: 'system', id: 'security-monitor' },
  correlationId: '7d1c9d0e-4a8e-4a43-9a53-bb2d3f0a4a01',
  causationId: '0b3f1f8e-2a4c-4f0b-8d3e-5f2a1c9e7b02',
};

const fixtures = standInFixtures();
const standIn = (options?: Parameters<typeof fixtures.start>[0]): Promise<EsdbStandIn> => fixtures.start(options);
const storeAt = async (url: string, maxAppendBytes?: number): Promise<EventStore> => fixtures.track(await openEventStore(url, { esdb: { maxAppendBytes } }));

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of iterable) out.push(event);
  return out;
}

const incidents = (n: number): { type: string; data: Record<string, unknown> }[] =>
  Array.from({ length: n }, (_, k) => ({ type: 'SecurityIncidentObserved', data: { k, reason: 'rate-limited', source: '203.0.113.0/24', count: 1 } }));

describe('SealedLedgerWriter on the EventStoreDB adapter (gRPC stand-in)', () => {
  it('stores a non-atomic batch bigger than one append allows in several appends, one unbroken chain', async () => {
    const node = await standIn({ maxAppendBytes: 8 * 1024 });
    const store = await storeAt(node.url, 8 * 1024);
    const keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
    const writer = new SealedLedgerWriter(store, keyring);
    const appendsBefore = node.calls.append;
    const result = await writer.append('security-2026-12-07', incidents(120), 'any', context, { atomic: false });
    expect(result.eventIds).toHaveLength(120);
    expect(result.nextExpectedRevision).toBe(119);
    expect(node.calls.append - appendsBefore).toBeGreaterThan(5);
    const stored = await collect(store.readStream('security-2026-12-07'));
    expect(stored.map((event) => event.id)).toEqual(result.eventIds);
    expect(verifyChain(stored, keyring.keyMap())).toMatchObject({ ok: true });
    // An atomic batch of the same size is refused whole, before anything is sent.
    await expect(writer.append('security-2026-12-08', incidents(120), 'any', context)).rejects.toMatchObject({ code: 'append-too-large' });
    expect(node.log.streamIndexes('security-2026-12-08')).toBeUndefined();
  });

  it('reads the head on the leader: a store opened on a lagging follower chains onto the fresh head, no spurious conflict', async () => {
    const leader = await standIn();
    const follower = await standIn({ followerOf: leader });
    const keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
    // Another instance wrote through the leader; the follower has not replicated it yet.
    const other = new SealedLedgerWriter(await storeAt(leader.url), keyring);
    await other.append('document-1', [{ type: 'DocumentCreated', data: {} }], 'no_stream', context);
    follower.replicate();
    await other.append('document-1', [{ type: 'DocumentEdited', data: { n: 1 } }], 0, context);
    const store = await storeAt(follower.url);
    const writer = new SealedLedgerWriter(store, keyring);
    const result = await writer.append('document-1', [{ type: 'DocumentEdited', data: { n: 2 } }], 1, context);
    expect(result.nextExpectedRevision).toBe(2);
    const stored = [...leader.log.streamIndexes('document-1')!].map((index) => leader.log.events[index]);
    expect(stored.map((event) => event.revision)).toEqual([0, 1, 2]);
    expect(verifyChain(await collect((await storeAt(leader.url)).readStream('document-1')), keyring.keyMap())).toMatchObject({ ok: true });
  });
});
