import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { ConcurrencyError, DuplicateEventIdError } from '../event-store.errors';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import { openEventStore } from '../open-event-store';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';

const root = mkdtempSync(join(tmpdir(), 'ledgerline-sqlite-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let current = '';
const freshFile = (): string => join(root, `${randomUUID()}`, 'events.sqlite');

describeEventStoreConformance('sqlite', {
  open: async () => {
    current = freshFile();
    return openEventStore(`sqlite:${current}`);
  },
  reopen: async () => openEventStore(`sqlite:${current}`),
  connectionUrl: () => `sqlite:${current}`,
  cleanup: async () => undefined,
});

const event = (data: Record<string, unknown> = {}): NewEvent => ({ id: randomUUID(), type: 'Tested', data, metadata: {} });

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('SqliteEventStore', () => {
  const stores: SqliteEventStore[] = [];
  const open = (file = freshFile(), options?: SqliteEventStoreOptions): SqliteEventStore => {
    const store = new SqliteEventStore(file, options);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  it('shares commits across connections of one process: another connection\'s subscription reads at once, not at its next poll', async () => {
    const file = freshFile();
    const writer = open(file, { shareCommitsAcrossThreads: true });
    const reader = open(file, { pollIntervalMs: 60_000, shareCommitsAcrossThreads: true });
    const subscription = reader.subscribeAll();
    try {
      const first = subscription[Symbol.asyncIterator]().next();
      await writer.append('shared-1', [event()], 'no_stream');
      expect((await first).value).toMatchObject({ stream: 'shared-1' });
    } finally {
      await subscription.close();
    }
  });

  describe('durability after COMMIT', () => {
    /** A CommitSync whose fdatasyncs finish when the test says so. */
    const gatedSync = () => {
      const pending: { resolve(): void; reject(error: Error): void }[] = [];
      return {
        pending,
        sync: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
        close: async () => undefined,
      };
    };
    const turns = () => new Promise((resolve) => setTimeout(resolve, 20));

    it('answers an append, and feeds subscriptions, only once its commit is on disk (other connections may see it before)', async () => {
      const sync = gatedSync();
      const file = freshFile();
      const store = open(file, { commitSync: sync, pollIntervalMs: 10 });
      const subscription = store.subscribeAll();
      const delivered: RecordedEvent[] = [];
      const consuming = (async () => {
        for await (const e of subscription) delivered.push(e);
      })();
      let answered = false;
      const appended = store.append('durable-1', [event()], 'no_stream').then((r) => ((answered = true), r));
      await turns();
      // Committed (another connection sees the row) but neither answered nor delivered.
      const other = open(file);
      expect(await other.readLastEvent('durable-1')).toMatchObject({ revision: 0 });
      expect(answered).toBe(false);
      expect(delivered).toEqual([]);
      // Only the commit's own sync: the subscription, polling meanwhile, stopped before the commit's rows.
      expect(sync.pending).toHaveLength(1);
      sync.pending[0].resolve();
      await expect(appended).resolves.toMatchObject({ nextExpectedRevision: 0 });
      while (delivered.length === 0) await turns();
      expect(delivered.map((e) => e.stream)).toEqual(['durable-1']);
      expect(sync.pending).toHaveLength(1);
      await subscription.close();
      await consuming;
    });

    it("delivers another connection's commit to a subscription only after an fdatasync of its own", async () => {
      const file = freshFile();
      const writerSync = gatedSync();
      const readerSync = gatedSync();
      const writer = open(file, { commitSync: writerSync });
      const reader = open(file, { commitSync: readerSync, pollIntervalMs: 5 });
      const subscription = reader.subscribeAll();
      const next = subscription[Symbol.asyncIterator]().next();
      void writer.append('durable-2', [event()], 'no_stream');
      while (readerSync.pending.length === 0) await turns();
      let delivered = false;
      void next.then(() => (delivered = true));
      await turns();
      expect(delivered).toBe(false);
      readerSync.pending[0].resolve();
      expect((await next).value).toMatchObject({ stream: 'durable-2' });
      writerSync.pending.forEach((wait) => wait.resolve());
      await subscription.close();
    });

    it('rejects the batch whose commit could not be made durable and refuses every later append and ping', async () => {
      const sync = gatedSync();
      const store = open(freshFile(), { commitSync: sync });
      const appended = store.append('durable-3', [event()], 'no_stream');
      while (sync.pending.length === 0) await turns();
      sync.pending[0].reject(new Error('EIO: i/o error, fdatasync'));
      await expect(appended).rejects.toThrow(/could not be made durable \(EIO: i\/o error, fdatasync\)/);
      await expect(store.append('durable-4', [event()], 'no_stream')).rejects.toThrow(/could not be made durable/);
      await expect(store.ping()).rejects.toThrow(/could not be made durable/);
    });

    it('makes a real file durable through the -wal file (WalFileSync) and reopens with every acknowledged append', async () => {
      const file = freshFile();
      const store = open(file);
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(`wal-${i}`, [event({ i })], 'no_stream')));
      await store.close();
      const reopened = open(file);
      expect(await collect(reopened.readAll())).toHaveLength(50);
    });
  });

  it('hands subscriptions woken by the same commit one page read once (the same event objects)', async () => {
    const store = open(freshFile(), { pollIntervalMs: 60_000 });
    const first = store.subscribeAll();
    const second = store.subscribeAll();
    try {
      const a = first[Symbol.asyncIterator]().next();
      const b = second[Symbol.asyncIterator]().next();
      await store.append('shared-page', [event()], 'no_stream');
      const [fromFirst, fromSecond] = await Promise.all([a, b]);
      expect(fromFirst.value).toMatchObject({ stream: 'shared-page' });
      expect(fromSecond.value).toBe(fromFirst.value);
    } finally {
      await first.close();
      await second.close();
    }
  });

  describe('appendAtomically', () => {
    it('writes every part in one transaction, each with its own expectation, and answers in order', async () => {
      const store = open();
      await store.append('together-b', [event()], 'no_stream');
      const [a, b] = await store.appendAtomically([
        { stream: 'together-a', events: [event(), event()], expected: 'no_stream' },
        { stream: 'together-b', events: [event()], expected: 0 },
      ]);
      expect(a).toMatchObject({ nextExpectedRevision: 1 });
      expect(b).toMatchObject({ nextExpectedRevision: 1, position: a.position + 1n });
    });

    it('writes nothing when one part fails, and leaves the same batch\'s other appends to those streams unharmed', async () => {
      const store = open();
      await store.append('together-d', [event()], 'no_stream');
      const [together, alone] = await Promise.allSettled([
        store.appendAtomically([
          { stream: 'together-c', events: [event()], expected: 'no_stream' },
          { stream: 'together-d', events: [event()], expected: 5 },
        ]),
        store.append('together-c', [event()], 'no_stream'),
      ]);
      expect(together.status === 'rejected' && together.reason).toBeInstanceOf(ConcurrencyError);
      expect(alone).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 0 } });
      expect(await collect(store.readStream('together-c'))).toHaveLength(1);
      expect(await store.readStreamRevision('together-d')).toBe(0);
    });

    it('refuses a stream named twice and an empty list', async () => {
      const store = open();
      await expect(store.appendAtomically([])).rejects.toThrow(/no appends/);
      await expect(
        store.appendAtomically([
          { stream: 'twice', events: [event()], expected: 'no_stream' },
          { stream: 'twice', events: [event()], expected: 'no_stream' },
        ]),
      ).rejects.toThrow(/each stream at most once/);
    });
  });

  it("tells a stream's head revision without reading its event, undefined for a stream that does not exist", async () => {
    const store = open();
    expect(await store.readStreamRevision('head-1')).toBeUndefined();
    await store.append('head-1', [event(), event()], 'no_stream');
    await store.append('head-1', [event()], 1);
    expect(await store.readStreamRevision('head-1')).toBe(2);
    expect(await store.readStreamRevision('head-1')).toBe((await store.readLastEvent('head-1'))?.revision);
  });

  it('group-commits concurrent appends into few transactions', async () => {
    const batches: number[] = [];
    const store = open(undefined, { onBatch: (b) => batches.push(b.items) });
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.append(`g-${i}`, [event()], 'no_stream')));
    const stats = store.stats();
    expect(stats.committed).toBe(200);
    expect(stats.batches).toBeLessThanOrEqual(2);
    expect(stats.largestBatch).toBeGreaterThanOrEqual(100);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(200);
  });

  it('caps a transaction at maxBatchAppends', async () => {
    const store = open(undefined, { maxBatchAppends: 16 });
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.append(`cap-${i}`, [event()], 'any')));
    expect(store.stats()).toMatchObject({ committed: 100, batches: 7, largestBatch: 16 });
  });

  it('applies back-pressure past maxQueuedAppends, keeping arrival order', async () => {
    const store = open(undefined, { maxBatchAppends: 10, maxQueuedAppends: 20 });
    const pending = Array.from({ length: 100 }, (_, k) => store.append('ordered', [event({ k })], 'any'));
    expect(store.stats().pending).toBe(100);
    const results = await Promise.all(pending);
    expect(results.map((r) => r.nextExpectedRevision)).toEqual(results.map((_, k) => k));
    expect((await collect(store.readStream('ordered'))).map((e) => e.data.k)).toEqual(results.map((_, k) => k));
    expect(store.stats().largestBatch).toBe(10);
  });

  it('rejects only the failing appends of a batch and commits the rest', async () => {
    const store = open();
    const taken = event();
    await store.append('existing', [taken], 'no_stream');
    const outcomes = await Promise.allSettled([
      store.append('s1', [event(), event()], 'no_stream'),
      store.append('s1', [event()], 'no_stream'), // loses to the append just before it in the same batch
      store.append('s1', [event()], 1), // sees the first append's two events
      store.append('s2', [event(), { ...taken }, event()], 'no_stream'), // duplicate id mid-append
      store.append('s2', [event()], 'no_stream'), // s2 still missing: the failed append left nothing
      store.append('existing', [event()], 5),
    ]);
    expect(store.stats().batches).toBe(2);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'rejected']);
    const reason = (i: number): unknown => (outcomes[i] as PromiseRejectedResult).reason;
    expect(reason(1)).toBeInstanceOf(ConcurrencyError);
    expect(reason(1)).toMatchObject({ expected: 'no_stream', actual: 1 });
    expect(reason(3)).toBeInstanceOf(DuplicateEventIdError);
    expect(reason(3)).toMatchObject({ stream: 's2', eventId: taken.id });
    expect(reason(5)).toMatchObject({ expected: 5, actual: 0 });
    expect((await collect(store.readStream('s1'))).map((e) => e.revision)).toEqual([0, 1, 2]);
    expect((await collect(store.readStream('s2'))).map((e) => e.revision)).toEqual([0]);
    expect(await collect(store.readAll())).toHaveLength(5);
  });

  it('rolls back a whole batch on an error that is no single append\'s fault, and keeps working', async () => {
    const file = freshFile();
    const store = open(file);
    await store.append('before', [event()], 'no_stream');
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(file);
    raw.exec("CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.type = 'Boom' BEGIN SELECT RAISE(ABORT, 'boom'); END");
    raw.close();
    const outcomes = await Promise.allSettled([
      store.append('a', [event()], 'no_stream'),
      store.append('b', [{ ...event(), type: 'Boom' }], 'no_stream'),
      store.append('c', [event()], 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status === 'rejected' && (o.reason as Error).message)).toEqual(['boom', 'boom', 'boom']);
    expect((await collect(store.readAll())).map((e) => e.stream)).toEqual(['before']);
    expect((await store.append('a', [event()], 'no_stream')).nextExpectedRevision).toBe(0);
  });

  it('never forks a stream written through two stores on one file', async () => {
    const file = freshFile();
    const a = open(file);
    const b = open(file);
    const stream = 'shared';
    let conflicts = 0;
    const writer = async (store: SqliteEventStore): Promise<void> => {
      for (let round = 0; round < 60; round++) {
        const last = await store.readLastEvent(stream);
        try {
          await store.append(stream, [event(), event()], last ? last.revision : 'no_stream');
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
          conflicts++;
        }
      }
    };
    await Promise.all([a, b, a, b].map(writer));
    const events = await collect(a.readStream(stream));
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    expect(events.length % 2).toBe(0);
    expect(conflicts).toBeGreaterThan(0);
    expect(conflicts + events.length / 2).toBe(240);
  });

  it('pages reads and subscriptions across page boundaries', async () => {
    const store = open(undefined, { pageSize: 7 });
    const ids: string[] = [];
    for (let k = 0; k < 5; k++) {
      const events = Array.from({ length: 10 }, () => event());
      await store.append('paged', events, 'any');
      ids.push(...events.map((e) => e.id));
    }
    expect((await collect(store.readAll())).map((e) => e.id)).toEqual(ids);
    expect((await collect(store.readAll({ maxCount: 15 }))).map((e) => e.id)).toEqual(ids.slice(0, 15));
    expect((await collect(store.readStream('paged', { fromRevision: 3 }))).map((e) => e.id)).toEqual(ids.slice(3));
    expect((await collect(store.readStream('paged', { direction: 'backwards' }))).map((e) => e.id)).toEqual([...ids].reverse());
    expect((await collect(store.readStream('paged', { direction: 'backwards', maxCount: 14 }))).map((e) => e.id)).toEqual(
      [...ids].reverse().slice(0, 14),
    );
    const subscription = store.subscribeAll();
    const got: RecordedEvent[] = [];
    for await (const e of subscription) if (got.push(e) === 50) break;
    expect(got.map((e) => e.id)).toEqual(ids);
  });

  it('returns positions as bigint past 2^53', async () => {
    const file = freshFile();
    const store = open(file);
    await store.append('big', [event()], 'no_stream');
    await store.close();
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(file);
    raw.prepare("UPDATE sqlite_sequence SET seq = 9007199254740993 WHERE name = 'events'").run();
    raw.close();
    const again = open(file);
    const { position } = await again.append('big', [event()], 0);
    expect(position).toBe(9007199254740994n);
    expect((await again.readLastEvent('big'))?.position).toBe(9007199254740994n);
    expect(await again.headPosition()).toBe(9007199254740994n);
    expect((await collect(again.readAll({ after: 9007199254740993n }))).map((e) => e.position)).toEqual([9007199254740994n]);
  });

  it('opens plain paths and sqlite: URLs, and refuses unknown schemes without echoing the URL', async () => {
    const file = freshFile();
    const viaPath = await openEventStore(file);
    await viaPath.append('p', [event()], 'no_stream');
    await viaPath.close();
    const viaUrl = await openEventStore(`sqlite://${file}`);
    expect((await viaUrl.readLastEvent('p'))?.revision).toBe(0);
    await viaUrl.close();
    await expect(openEventStore('postgres://admin:s3cret@localhost:5432/db')).rejects.toThrow(/unsupported event store URL scheme "postgres:"/);
    await expect(openEventStore('postgres://admin:s3cret@localhost:5432/db')).rejects.not.toThrow(/s3cret/);
    await expect(openEventStore('sqlite:')).rejects.toThrow(/names no file/);
  });
});
