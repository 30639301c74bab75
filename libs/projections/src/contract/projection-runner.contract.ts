/// <reference types="jest" />
import { randomUUID } from 'node:crypto';
import type { EventStore, RecordedEvent } from '@ledgerline/event-store';
import type { ReadDb } from '../read-db/read-db.port';
import { rebuildProjections, type RebuildProgress } from '../rebuild/rebuild-projections';
import { readCheckpoint } from '../runner/projection-checkpoints';
import { ProjectionSet } from '../runner/projection-set';
import { appendEvents, contractFixture, eventually, recordingLogger, type ReadDbHarness } from './contract-support';
import { countingEventStore } from './counting-event-store';
import { StreamCountProjector, type CategoryCount } from './stream-count.projector';

async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const event of store.readAll()) out.push(event);
  return out;
}

/** What the sample read model must answer, computed straight from the log. */
async function expectedCounts(store: EventStore, upTo?: bigint, handles?: (type: string) => boolean): Promise<CategoryCount[]> {
  const byCategory = new Map<string, CategoryCount>();
  for (const event of await allEvents(store)) {
    if (upTo !== undefined && event.position > upTo) break;
    if (handles && !handles(event.type)) continue;
    const category = event.stream.split('-')[0];
    const row = byCategory.get(category) ?? { category, events: 0, flagged: 0, lastPosition: 0n };
    row.events++;
    if (event.data.flag === true) row.flagged++;
    row.lastPosition = event.position;
    byCategory.set(category, row);
  }
  return [...byCategory.values()].sort((a, b) => a.category.localeCompare(b.category));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The runner, projection set and rebuild over one adapter, fed by a real SQLite event store. */
export function describeProjectionRunner(harness: ReadDbHarness): void {
  const fixture = contractFixture(harness);

  it('catches up with the log, then follows it live, checkpointing the last position', async () => {
    const store = fixture.store();
    const db = await fixture.db();
    const caughtUp = await appendEvents(store, 30);
    const projector = new StreamCountProjector();
    const runner = fixture.runner(store, db, projector);
    await runner.start();
    expect(await runner.waitForPosition(caughtUp, 5000)).toBe(true);
    expect(await projector.counts(db)).toEqual(await expectedCounts(store));

    const live = await appendEvents(store, 12, 30);
    expect(await runner.waitForPosition(live, 5000)).toBe(true);
    expect(runner.position()).toBe(live);
    expect(await projector.counts(db)).toEqual(await expectedCounts(store));
    expect(projector.applied.map((e) => e.position)).toEqual((await allEvents(store)).map((e) => e.position));
    expect(await readCheckpoint(db, projector.name)).toEqual({ version: 1, position: live });
  });

  it('advances the checkpoint over events the projector does not handle', async () => {
    const store = fixture.store();
    const db = await fixture.db();
    const head = await appendEvents(store, 20);
    const handles = (type: string): boolean => type === 'Created';
    const projector = new StreamCountProjector({ handles });
    const runner = fixture.runner(store, db, projector);
    await runner.start();
    expect(await runner.waitForPosition(head, 5000)).toBe(true);
    expect(projector.applied).toHaveLength(10);
    expect(await projector.counts(db)).toEqual(await expectedCounts(store, undefined, handles));
  });

  it('commits a batch and its checkpoint together: a failure after the change persists neither, and the event is not skipped', async () => {
    const store = fixture.store();
    const db = await fixture.db();
    const first = await appendEvents(store, 10);
    const logger = recordingLogger();
    const failing = new StreamCountProjector({ failAfter: (e) => e.data.i === 14 });
    const runner = fixture.runner(store, db, failing, { batchSize: 100, logger });
    await runner.start();
    expect(await runner.waitForPosition(first, 5000)).toBe(true);
    const head = await appendEvents(store, 10, 10);
    await eventually(() => runner.status().state === 'failed', 5000, 'the runner to fail');

    const failedAt = (await allEvents(store)).find((e) => e.data.i === 14)!.position;
    const stored = await readCheckpoint(db, failing.name);
    expect(stored!.position).toBeDefined();
    expect(stored!.position! < failedAt).toBe(true);
    expect(runner.position()).toBe(stored!.position);
    // The row the failing apply wrote before throwing was rolled back with the batch.
    expect(await failing.counts(db)).toEqual(await expectedCounts(store, stored!.position));
    expect(runner.status().error).toMatch(/injected failure/);
    expect(logger.lines.some((l) => l.level === 'error' && /injected failure/.test(l.message))).toBe(true);
    expect(await runner.waitForPosition(head, 5000)).toBe(false);

    const fixed = new StreamCountProjector();
    const resumed = fixture.runner(store, db, fixed);
    await resumed.start();
    expect(await resumed.waitForPosition(head, 5000)).toBe(true);
    expect(fixed.applied[0].position).toBe(stored!.position! + 1n);
    expect(fixed.applied.some((e) => e.position === failedAt)).toBe(true);
    expect(await fixed.counts(db)).toEqual(await expectedCounts(store));
  });

  it('resumes after a restart from the stored checkpoint, applying nothing twice', async () => {
    const store = fixture.store();
    const db = await fixture.db();
    const before = await appendEvents(store, 20);
    const firstRun = new StreamCountProjector();
    const runner = fixture.runner(store, db, firstRun);
    await runner.start();
    expect(await runner.waitForPosition(before, 5000)).toBe(true);
    await runner.stop();
    expect(runner.status().state).toBe('stopped');

    const after = await appendEvents(store, 10, 20);
    const restarted = await fixture.reopen();
    const secondRun = new StreamCountProjector();
    const again = fixture.runner(store, restarted, secondRun);
    await again.start();
    expect(again.position()).toBe(before);
    expect(await again.waitForPosition(after, 5000)).toBe(true);
    expect(secondRun.applied).toHaveLength(10);
    expect(secondRun.applied.every((e) => e.position > before)).toBe(true);
    expect(secondRun.drops).toBe(0);
    expect(await secondRun.counts(restarted)).toEqual(await expectedCounts(store));
  });

  it('starts again after a stop and continues where it stopped', async () => {
    const store = fixture.store();
    const db = await fixture.db();
    const projector = new StreamCountProjector();
    const runner = fixture.runner(store, db, projector);
    await runner.start();
    const first = await appendEvents(store, 6);
    expect(await runner.waitForPosition(first, 5000)).toBe(true);
    await runner.stop();
    const second = await appendEvents(store, 6, 6);
    await runner.start();
    expect(runner.status().state).toBe('running');
    expect(await runner.waitForPosition(second, 5000)).toBe(true);
    expect(projector.applied).toHaveLength(12);
    expect(projector.drops).toBe(1);
  });

  it('drops and rebuilds a read model whose projector version went up, and refuses to run an older one', async () => {
    const store = fixture.store();
    const db = await fixture.db();
    const head = await appendEvents(store, 20);
    const v1 = new StreamCountProjector();
    const first = fixture.runner(store, db, v1);
    await first.start();
    expect(await first.waitForPosition(head, 5000)).toBe(true);
    await first.stop();

    const logger = recordingLogger();
    const v2 = new StreamCountProjector({ version: 2 });
    const second = fixture.runner(store, db, v2, { logger });
    await second.start();
    expect(await second.waitForPosition(head, 5000)).toBe(true);
    expect(v2.drops).toBe(1);
    expect(v2.applied).toHaveLength(20);
    expect(await v2.counts(db)).toEqual(await expectedCounts(store));
    expect(logger.lines.some((l) => /version 1 → 2/.test(l.message))).toBe(true);
    await second.stop();

    const stale = fixture.runner(store, db, new StreamCountProjector({ version: 1 }));
    await expect(stale.start()).rejects.toThrow(/version 2, newer than this projector/);
    expect(stale.status().state).toBe('failed');
    expect(await v2.counts(db)).toEqual(await expectedCounts(store));
  });

  it('rebuilds from the log to the same answers as incremental projection, then runners continue live', async () => {
    const store = fixture.store();
    const db = await fixture.db();
    const head = await appendEvents(store, 40);
    const incremental = new StreamCountProjector();
    const runner = fixture.runner(store, db, incremental, { batchSize: 9 });
    await runner.start();
    expect(await runner.waitForPosition(head, 5000)).toBe(true);
    await runner.stop();
    const answers = await incremental.counts(db);
    // Damage the read model so that only a real replay can restore it.
    await db.query(`UPDATE ${incremental.table} SET events = 999, flagged = 0`);

    const progress: RebuildProgress[] = [];
    const rebuilt = new StreamCountProjector();
    const result = await rebuildProjections(store, db, [rebuilt], { batchSize: 7, onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ events: 40, position: head });
    expect(await rebuilt.counts(db)).toEqual(answers);
    expect(rebuilt.drops).toBe(1);
    expect(progress[0]).toEqual({ done: 0n, total: head, events: 0 });
    expect(progress.at(-1)).toEqual({ done: head, total: head, events: 40 });
    expect(progress).toHaveLength(1 + Math.ceil(40 / 7));
    expect(await readCheckpoint(db, rebuilt.name)).toEqual({ version: 1, position: head });

    const live = new StreamCountProjector();
    const next = fixture.runner(store, db, live);
    await next.start();
    const newHead = await appendEvents(store, 5, 40);
    expect(await next.waitForPosition(newHead, 5000)).toBe(true);
    expect(live.applied).toHaveLength(5);
    expect(await live.counts(db)).toEqual(await expectedCounts(store));
  });

  it('waitForPosition resolves true on the commit that reaches the position, false on timeout or stop', async () => {
    const store = fixture.store();
    const db = await fixture.db();
    const projector = new StreamCountProjector();
    const runner = fixture.runner(store, db, projector);
    const beforeStart = runner.waitForPosition(3n, 5000);
    await runner.start();
    expect(await runner.waitForPosition(1n, 50)).toBe(false);
    const waiting = runner.waitForPosition(3n, 5000);
    const head = await appendEvents(store, 3);
    expect(head).toBe(3n);
    expect(await waiting).toBe(true);
    expect(await beforeStart).toBe(true);
    expect(await runner.waitForPosition(2n, 0)).toBe(true);

    const pending = runner.waitForPosition(1000n, 5000);
    await runner.stop();
    expect(await pending).toBe(false);
    expect(await runner.waitForPosition(1000n, 5000)).toBe(false);
  });

  it('reports lag as the store head minus the checkpoint', async () => {
    const store = fixture.store();
    const db = await fixture.db();
    const projector = new StreamCountProjector();
    const runner = fixture.runner(store, db, projector);
    expect(await runner.lag()).toBe(0n);
    const head = await appendEvents(store, 25);
    expect(await runner.lag()).toBe(head);
    await runner.start();
    expect(await runner.waitForPosition(head, 5000)).toBe(true);
    expect(await runner.lag()).toBe(0n);
    await runner.stop();
    await appendEvents(store, 5, 25);
    expect(await runner.lag()).toBe(5n);
  });

  it('never applies an event twice when two runners follow the same read model', async () => {
    const store = fixture.store();
    const db = await fixture.db();
    const other = await fixture.reopen();
    const a = new StreamCountProjector();
    const b = new StreamCountProjector();
    const runnerA = fixture.runner(store, db, a, { batchSize: 5 });
    const runnerB = fixture.runner(store, other, b, { batchSize: 5 });
    await runnerA.start();
    await runnerB.start();
    let head = 0n;
    for (let round = 0; round < 6; round++) head = await appendEvents(store, 10, round * 10);
    expect(await runnerA.waitForPosition(head, 10_000)).toBe(true);
    expect(await runnerB.waitForPosition(head, 10_000)).toBe(true);
    expect(a.applied.length + b.applied.length).toBe(60);
    const positions = [...a.applied, ...b.applied].map((e) => e.position).sort((x, y) => (x < y ? -1 : 1));
    expect(positions).toEqual((await allEvents(store)).map((e) => e.position));
    expect(await a.counts(db)).toEqual(await expectedCounts(store));
  });

  it('skips events whose stream revision was already applied when the checkpoint is rewound', async () => {
    const store = fixture.store();
    const db = await fixture.db();
    const first = await appendEvents(store, 20);
    const logger = recordingLogger();
    const projector = new StreamCountProjector();
    const runner = fixture.runner(store, db, projector, { logger });
    await runner.start();
    expect(await runner.waitForPosition(first, 5000)).toBe(true);
    await db.query('UPDATE projection_checkpoints SET position = NULL WHERE name = $1', [projector.name]);
    const head = await appendEvents(store, 1, 20);
    await eventually(async () => (await readCheckpoint(db, projector.name))?.position === head, 5000, 'the replay to commit');
    expect(projector.applied).toHaveLength(21);
    expect(await projector.counts(db)).toEqual(await expectedCounts(store));
    expect(logger.lines.some((l) => l.level === 'warn' && /skipped 20 event/.test(l.message))).toBe(true);
  });

  it('pulls no more events than one batch holds while a slow projector works', async () => {
    const base = fixture.store();
    const db = await fixture.db();
    const head = await appendEvents(base, 120);
    const counting = countingEventStore(base);
    const batchSize = 8;
    const excess: number[] = [];
    const ref: { runner?: ReturnType<typeof fixture.runner> } = {};
    const projector = new StreamCountProjector({
      pause: async () => {
        const held = counting.pulled() - ref.runner!.status().eventsApplied;
        if (held > batchSize) excess.push(held);
        await sleep(1);
      },
    });
    const runner = (ref.runner = fixture.runner(counting.store, db, projector, { batchSize }));
    await runner.start();
    expect(await runner.waitForPosition(head, 20_000)).toBe(true);
    expect(excess).toEqual([]);
    expect(runner.status().maxHeldEvents).toBe(batchSize);
    expect(runner.status().batches).toBe(120 / batchSize);
    expect(counting.pulled()).toBe(120);
  });

  it('stops gracefully: the batch in progress commits whole', async () => {
    const store = fixture.store();
    const db = await fixture.db();
    await appendEvents(store, 100);
    const projector = new StreamCountProjector({ pause: () => sleep(2) });
    const runner = fixture.runner(store, db, projector, { batchSize: 50 });
    await runner.start();
    await eventually(() => projector.applied.length >= 10, 5000, 'the first batch to be under way');
    await runner.stop();
    expect(runner.status().state).toBe('stopped');
    const stored = (await readCheckpoint(db, projector.name))!.position!;
    expect(runner.position()).toBe(stored);
    expect(projector.applied.length % 50).toBe(0);
    expect(projector.applied.at(-1)!.position).toBe(stored);
    expect(await projector.counts(db)).toEqual(await expectedCounts(store, stored));
  });

  it('commits the batches one new event brings to a set in one transaction; a projector that throws loses only its own batch', async () => {
    const store = fixture.store();
    const db = await fixture.db();
    const before = await appendEvents(store, 6);
    let transactions = 0;
    const counted = new Proxy(db, {
      get(target, key, receiver) {
        if (key !== 'transaction') return Reflect.get(target, key, receiver) as unknown;
        return (fn: Parameters<ReadDb['transaction']>[0]) => {
          transactions++;
          return target.transaction(fn);
        };
      },
    });
    const a = new StreamCountProjector({ name: 'counts_a' });
    const b = new StreamCountProjector({ name: 'counts_b', handles: (type) => type === 'Created' });
    const failing = new StreamCountProjector({ name: 'counts_c', failAfter: (event) => event.position > before });
    const set = new ProjectionSet(store, counted, [a, b, failing], { logger: recordingLogger() });
    fixture.defer(() => set.stop());
    await set.start();
    expect(await set.waitForAll(before, 5000)).toBe(true);

    transactions = 0;
    await store.append('document-9', [{ id: randomUUID(), type: 'Created', data: { i: 99 }, metadata: {} }], 'any');
    const head = (await store.headPosition())!;
    expect(await set.get('counts_a')!.waitForPosition(head, 5000)).toBe(true);
    expect(await set.get('counts_b')!.waitForPosition(head, 5000)).toBe(true);
    await eventually(() => set.get('counts_c')!.status().state === 'failed', 5000, 'the failing runner to stop');
    expect(transactions).toBe(1);
    expect(await readCheckpoint(db, 'counts_a')).toEqual({ version: 1, position: head });
    expect(await readCheckpoint(db, 'counts_b')).toEqual({ version: 1, position: head });
    expect(await readCheckpoint(db, 'counts_c')).toEqual({ version: 1, position: before });
    expect(await a.counts(db)).toEqual(await expectedCounts(store));
    expect(await failing.counts(db)).toEqual(await expectedCounts(store, before));
    expect(await b.counts(db)).toEqual(await expectedCounts(store, undefined, (type) => type === 'Created'));
  });

  it('runs a set of read models and reports each one, a failed one included', async () => {
    const store = fixture.store();
    const db = await fixture.db();
    const head = await appendEvents(store, 15);
    const broken = new StreamCountProjector({ name: 'broken_counts' });
    broken.migrate = async () => {
      throw new Error('migration refused');
    };
    const set = new ProjectionSet(store, db, [new StreamCountProjector({ name: 'counts_a' }), new StreamCountProjector({ name: 'counts_b' }), broken], {
      logger: recordingLogger(),
    });
    fixture.defer(() => set.stop());
    await set.start();
    expect(await set.get('counts_a')!.waitForPosition(head, 5000)).toBe(true);
    expect(await set.get('counts_b')!.waitForPosition(head, 5000)).toBe(true);
    expect(await set.waitForAll(head, 1000)).toBe(false);
    const report = await set.lagReport();
    expect(report).toEqual([
      { name: 'counts_a', version: 1, state: 'running', position: head, lag: 0n, error: undefined },
      { name: 'counts_b', version: 1, state: 'running', position: head, lag: 0n, error: undefined },
      { name: 'broken_counts', version: 1, state: 'failed', position: undefined, lag: head, error: 'migration refused' },
    ]);
    await set.stop();
    expect(set.runners.map((r) => r.status().state)).toEqual(['stopped', 'stopped', 'failed']);

    const healthy = new ProjectionSet(store, db, [new StreamCountProjector({ name: 'counts_a' })], { logger: recordingLogger() });
    fixture.defer(() => healthy.stop());
    await healthy.start();
    const more = await appendEvents(store, 3, 15);
    expect(await healthy.waitForAll(more, 5000)).toBe(true);
  });
}
