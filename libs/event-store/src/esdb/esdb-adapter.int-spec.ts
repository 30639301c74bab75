import { randomUUID } from 'node:crypto';
import { standInFixtures, type EsdbStandIn, type EsdbStandInOptions } from '../../../../test/esdb-stand-in';
import { ConcurrencyError, InvalidEventStoreInputError } from '../event-store.errors';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import { EsdbEventStore, type EsdbEventStoreOptions } from './esdb-event-store';

const fixtures = standInFixtures();

async function setup(options: EsdbStandInOptions = {}, storeOptions?: EsdbEventStoreOptions): Promise<{ standIn: EsdbStandIn; store: EsdbEventStore }> {
  const standIn = await fixtures.start(options);
  return { standIn, store: open(standIn.url, storeOptions) };
}

const open = (url: string, options?: EsdbEventStoreOptions): EsdbEventStore => fixtures.track(new EsdbEventStore(url, options));

const event = (data: Record<string, unknown> = {}, type = 'Tested'): NewEvent => ({ id: randomUUID(), type, data, metadata: { v: 1 } });

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function conflict(promise: Promise<unknown>): Promise<ConcurrencyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ConcurrencyError)) throw new Error(`expected a ConcurrencyError, got ${String(error)}`);
  return error;
}

describe('EsdbEventStore on the gRPC stand-in', () => {
  it.each([
    ['offers BatchAppend', true],
    ['offers only Append', false],
  ])('appends through Append when the server %s, mapping WrongExpectedVersion to ConcurrencyError with the actual revision', async (_label, batchAppend) => {
    const { standIn, store } = await setup({ batchAppend });
    const first = await store.append('order-1', [event(), event(), event()], 'no_stream');
    expect(first.nextExpectedRevision).toBe(2);
    expect(await conflict(store.append('order-1', [event()], 'no_stream'))).toMatchObject({ stream: 'order-1', expected: 'no_stream', actual: 2 });
    expect(await conflict(store.append('order-1', [event()], 5))).toMatchObject({ expected: 5, actual: 2 });
    expect(await conflict(store.append('order-2', [event()], 0))).toMatchObject({ expected: 0, actual: 'no_stream' });
    expect(await conflict(store.append('order-2', [event()], 'stream_exists'))).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
    const second = await store.append('order-1', [event()], 2);
    expect(second.position > first.position).toBe(true);
    expect((await store.readLastEvent('order-1'))?.position).toBe(second.position);
    expect(standIn.calls.append).toBe(6);
    expect(standIn.calls.batchAppend).toBe(0);
  });

  it('leaves the appends of another store in the process alone when one closes (client v6 BatchAppend would reject them all)', async () => {
    const { standIn, store: closing } = await setup();
    const other = open(standIn.url);
    await Promise.all([closing.ping(), other.append('other-0', [event()], 'no_stream')]);
    await closing.append('closing-0', [event()], 'no_stream');
    const inFlight = Array.from({ length: 200 }, (_, k) => other.append(`other-${k % 20}`, [event({ k })], 'any'));
    await closing.close();
    const settled = await Promise.allSettled(inFlight);
    expect(settled.filter((o) => o.status === 'rejected')).toEqual([]);
  });

  it('keeps positions exact far beyond 2^53 (commit and prepare near 2^62), through reads, subscriptions and head', async () => {
    const base = 2n ** 62n + 12_345n;
    const { store } = await setup({ firstPosition: base });
    const { position } = await store.append('big-1', [event(), event()], 'no_stream');
    const all = await collect(store.readAll());
    expect(all.every((e) => e.position > base && e.position < 1n << 63n)).toBe(true);
    expect(all[1].position).toBe(position);
    expect(await store.headPosition()).toBe(position);
    expect((await collect(store.readAll({ after: all[0].position }))).map((e) => e.id)).toEqual([all[1].id]);
    const subscription = store.subscribeAll({ after: all[0].position });
    const next = await subscription[Symbol.asyncIterator]().next();
    expect(next.value?.position).toBe(position);
    await subscription.close();
  });

  it('never shows EventStoreDB’s own events: not in reads, subscriptions or the head position', async () => {
    const { standIn, store } = await setup({}, { pageSize: 4 });
    expect(await store.headPosition()).toBeUndefined();
    const { position } = await store.append('user-1', [event()], 'no_stream');
    for (let k = 0; k < 30; k++) standIn.log.writeSystemEvent(`$stats-${k % 3}`, '$statsCollected', { k });
    standIn.log.writeSystemEvent('$projections-x-result', 'Result', { state: 1 });
    expect(await store.headPosition()).toBe(position);
    expect((await collect(store.readAll())).map((e) => e.stream)).toEqual(['user-1']);
    const subscription = store.subscribeAll();
    const iterator = subscription[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.stream).toBe('user-1');
    const later = event();
    standIn.log.writeSystemEvent('$stats-0', '$statsCollected', {});
    await store.append('user-2', [later], 'no_stream');
    expect((await iterator.next()).value?.id).toBe(later.id);
    await subscription.close();
  });

  it('refuses to write $ stream names and $ event types, which its readers would hide', async () => {
    const { store } = await setup();
    await expect(store.append('$settings', [event()], 'any')).rejects.toBeInstanceOf(InvalidEventStoreInputError);
    await expect(store.append('user-1', [event({}, '$statsCollected')], 'any')).rejects.toBeInstanceOf(InvalidEventStoreInputError);
    expect(await store.headPosition()).toBeUndefined();
  });

  it('pages through $all and long streams in bounded reads, without losing or repeating an event', async () => {
    const { standIn, store } = await setup({ systemEventEvery: 2 }, { pageSize: 10 });
    const ids: string[] = [];
    for (let k = 0; k < 19; k++) {
      const events = [event({ k }), event({ k })];
      await store.append(`paged-${k % 2}`, events, 'any');
      ids.push(...events.map((e) => e.id));
    }
    const readsBefore = standIn.calls.read;
    const all = await collect(store.readAll());
    expect(all.map((e) => e.id)).toEqual(ids);
    expect(standIn.calls.read - readsBefore).toBeGreaterThanOrEqual(6);
    expect(standIn.calls.readCounts.every((count) => count <= 10n)).toBe(true);
    expect((await collect(store.readAll({ after: all[4].position, maxCount: 13 }))).map((e) => e.id)).toEqual(ids.slice(5, 18));
    const stream = await collect(store.readStream('paged-0'));
    expect(stream.map((e) => e.revision)).toEqual(stream.map((_, i) => i));
    expect(stream).toHaveLength(20);
    expect((await collect(store.readStream('paged-0', { direction: 'backwards', fromRevision: 14 }))).map((e) => e.revision)).toEqual(
      [14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    );
  });

  it('says plainly when a server (before 22.6) sends no $all position with stream reads', async () => {
    const { store } = await setup({ streamReadPositions: false });
    await store.append('legacy-1', [event()], 'no_stream');
    await expect(collect(store.readStream('legacy-1'))).rejects.toThrow(/no \$all position.*22\.6/);
    expect(await collect(store.readAll())).toHaveLength(1);
  });

  it('uses TLS unless the URL says tls=false (a plain-text server is not reachable without it)', async () => {
    // `localhost` rather than an IP: Node deprecates TLS server names that are IPs.
    const { standIn } = await setup({ host: 'localhost' });
    // The client speaks TLS to the plain-text stand-in, which answers in clear: OpenSSL rejects the record.
    await expect(open(`esdb://localhost:${standIn.port}`).ping()).rejects.toThrow(/SSL routines/);
    await expect(open(`esdb://localhost:${standIn.port}?tls=false`).ping()).resolves.toBeUndefined();
  });

  it('settles every append (never hangs) when the server goes away mid-write, and works again once it is back', async () => {
    const { standIn, store } = await setup();
    const outcomes = Array.from({ length: 200 }, async (_, k) => {
      await new Promise((resolve) => setTimeout(resolve, k / 10));
      const written = event({ k });
      await store.append(`gone-${k % 10}`, [written], 'any');
      return written.id;
    });
    setTimeout(() => void standIn.stop(), 5);
    const settled = await Promise.allSettled(outcomes);
    expect(settled.some((o) => o.status === 'rejected')).toBe(true);
    const stored = new Set(standIn.log.events.map((e) => e.id));
    for (const outcome of settled) if (outcome.status === 'fulfilled') expect(stored.has(outcome.value)).toBe(true);
    await fixtures.start({ port: standIn.port, log: standIn.log });
    let result: { nextExpectedRevision: number } | undefined;
    for (let attempt = 0; attempt < 50 && !result; attempt++) {
      result = await store.append('after-restart', [event()], 'no_stream').catch(() => new Promise<undefined>((r) => setTimeout(() => r(undefined), 50)));
    }
    expect(result?.nextExpectedRevision).toBe(0);
  });

  it('resubscribes through a node restart after the last event seen: nothing lost, nothing twice', async () => {
    const { standIn, store } = await setup({ systemEventEvery: 2 });
    const ids: string[] = [];
    const write = async (n: number): Promise<void> => {
      for (let k = 0; k < n; k++) {
        const written = event({ k });
        await store.append(`restart-${k % 3}`, [written], 'any');
        ids.push(written.id);
      }
    };
    await write(10);
    const iterator = store.subscribeAll()[Symbol.asyncIterator]();
    const received: string[] = [];
    for (let k = 0; k < 4; k++) received.push((await iterator.next()).value!.id);
    const waiting = iterator.next();
    await standIn.stop();
    await fixtures.start({ port: standIn.port, log: standIn.log });
    received.push((await waiting).value!.id);
    // The client drops its failed channel on the first call that notices; callers see that call fail once.
    for (let attempt = 0; attempt < 20 && !(await store.ping().then(() => true, () => false)); attempt++);
    await write(5);
    while (received.length < ids.length) received.push((await iterator.next()).value!.id);
    expect(received).toEqual(ids);
  });

  it('fails a subscription loudly when the server stays away, instead of ending it quietly', async () => {
    const { standIn, store } = await setup({}, { resubscribeForMs: 300 });
    await store.append('sub-1', [event()], 'no_stream');
    const iterator = store.subscribeAll()[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    const waiting = iterator.next();
    await standIn.stop();
    await expect(waiting).rejects.toThrow(/UNAVAILABLE|CANCELLED/);
  });

  it('closes promptly with a reader left mid-page or abandoned, and fails a read waiting on the closed store', async () => {
    const { store } = await setup({}, { pageSize: 500 });
    // Pages larger than the client's stream buffers (16 + 16 objects), so unread events stay in the call.
    for (let k = 0; k < 4; k++) await store.append(`close-${k}`, Array.from({ length: 100 }, () => event()), 'no_stream');
    // A consumer that breaks out early, and one that takes one event and drops the iterator.
    for await (const _ of store.readAll()) break;
    const abandoned = store.readStream('close-1')[Symbol.asyncIterator]();
    expect((await abandoned.next()).done).toBe(false);
    await expect(store.close()).resolves.toBeUndefined();
    await expect(abandoned.next()).rejects.toThrow(/closed/);
    await expect(collect(store.readAll())).rejects.toThrow(/closed/);
    expect(() => store.subscribeAll()).toThrow(/closed/);
  });

  it('lets go of its connection on close (dispose() alone leaves the gRPC channel open)', async () => {
    const { standIn, store } = await setup();
    await store.ping();
    expect(standIn.connections()).toBe(1);
    await store.close();
    for (let k = 0; k < 100 && standIn.connections() > 0; k++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(standIn.connections()).toBe(0);
  });

  it('reads back an idempotent repeat (same ids at the same expected revision) as one write, as EventStoreDB does', async () => {
    const { store } = await setup();
    const events = [event(), event()];
    const first = await store.append('repeat-1', events, 'no_stream');
    const again = await store.append('repeat-1', events.map((e) => ({ ...e })), 'no_stream');
    expect(again).toEqual(first);
    const stored: RecordedEvent[] = await collect(store.readStream('repeat-1'));
    expect(stored.map((e) => e.id)).toEqual(events.map((e) => e.id));
  });
});
