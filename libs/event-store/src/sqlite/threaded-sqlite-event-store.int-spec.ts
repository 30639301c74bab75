import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { ConcurrencyError } from '../event-store.errors';
import { openEventStore } from '../open-event-store';
import { SqliteEventStore } from './sqlite-event-store';
import { ThreadedSqliteEventStore } from './threaded-sqlite-event-store';

// A worker thread runs JavaScript: the specs use the compiled writer that `npm test` builds first.
const APPEND_THREAD = resolve(__dirname, '../../../../dist/libs/event-store/src/sqlite/append-thread.js');
if (!existsSync(APPEND_THREAD)) throw new Error(`${APPEND_THREAD} is missing: run npm run build first (npm test does)`);

const root = mkdtempSync(join(tmpdir(), 'ledgerline-threaded-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let current = '';
const freshFile = (): string => join(root, randomUUID(), 'events.sqlite');
const openThreaded = (file: string) => openEventStore(`sqlite:${file}`, { sqlite: { appendThread: true, appendThreadEntry: APPEND_THREAD } });

describeEventStoreConformance('sqlite with its writer on a worker thread', {
  open: async () => {
    current = freshFile();
    return openThreaded(current);
  },
  reopen: async () => openThreaded(current),
  connectionUrl: () => `sqlite:${current}`,
  cleanup: async () => undefined,
});

describe('ThreadedSqliteEventStore', () => {
  it('keeps the port\'s errors across the thread: a conflict is a ConcurrencyError with its revisions', async () => {
    const store = await openThreaded(freshFile());
    try {
      await store.append('s-1', [{ id: randomUUID(), type: 'T', data: {}, metadata: {} }], 'no_stream');
      const conflict = await store.append('s-1', [{ id: randomUUID(), type: 'T', data: {}, metadata: {} }], 'no_stream').catch((e: unknown) => e);
      expect(conflict).toBeInstanceOf(ConcurrencyError);
      expect(conflict).toMatchObject({ stream: 's-1', expected: 'no_stream', actual: 0 });
    } finally {
      await store.close();
    }
  });

  it('resolves an append only once it is committed: another connection reads it at once', async () => {
    const file = freshFile();
    const store = await openThreaded(file);
    const other = new SqliteEventStore(file);
    try {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(`s-${i}`, [{ id: randomUUID(), type: 'T', data: { i }, metadata: {} }], 'no_stream')));
      expect(await other.headPosition()).toBe(results.map((r) => r.position).reduce((a, b) => (a > b ? a : b)));
    } finally {
      await other.close();
      await store.close();
    }
  });

  it('wakes subscriptions in other threads and in its own the moment the writer commits', async () => {
    const file = freshFile();
    const store = await openThreaded(file);
    // A long poll interval: only the commit signal can deliver the event in time.
    const reader = new SqliteEventStore(file, { pollIntervalMs: 60_000, shareCommitsAcrossThreads: true });
    const subscription = reader.subscribeAll();
    try {
      const first = subscription[Symbol.asyncIterator]().next();
      await store.append('s-x', [{ id: randomUUID(), type: 'T', data: {}, metadata: {} }], 'no_stream');
      expect((await first).value).toMatchObject({ stream: 's-x' });
    } finally {
      await subscription.close();
      await reader.close();
      await store.close();
    }
  });

  it('fails appends after close instead of hanging', async () => {
    const store = await ThreadedSqliteEventStore.open(freshFile(), { appendThreadEntry: APPEND_THREAD });
    await store.close();
    await expect(store.append('s-1', [{ id: randomUUID(), type: 'T', data: {}, metadata: {} }], 'no_stream')).rejects.toThrow();
  });
});
