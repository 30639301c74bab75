import { GroupCommitQueue, WriteLockBusyError, type BatchReport, type ItemOutcome } from './group-commit.queue';

describe('GroupCommitQueue', () => {
  it('hands everything enqueued in one turn to one batch and settles each item by its own outcome', async () => {
    const batches: number[][] = [];
    const queue = new GroupCommitQueue<number, number>(
      (items) => {
        batches.push(items);
        return items.map((n): ItemOutcome<number> => (n % 3 === 0 ? { ok: false, error: new Error(`no ${n}`) } : { ok: true, value: n * 10 }));
      },
      { maxBatch: 100, maxQueued: 1000, lockWaitMs: 1000 },
    );
    const settled = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((n) => queue.enqueue(n)));
    expect(batches).toEqual([[1, 2, 3, 4, 5, 6]]);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([10, 20, 'no 3', 40, 50, 'no 6']);
    expect(queue.stats()).toMatchObject({ batches: 1, committed: 4, rejected: 2, largestBatch: 6, pending: 0 });
  });

  it('rejects the whole batch when the writer throws, and keeps serving later batches', async () => {
    const reports: BatchReport[] = [];
    let fail = true;
    const queue = new GroupCommitQueue<string, string>(
      (items) => {
        if (fail) throw new Error('disk I/O error');
        return items.map((value) => ({ ok: true, value }));
      },
      { maxBatch: 10, maxQueued: 10, lockWaitMs: 1000 },
      (report) => reports.push(report),
    );
    const first = await Promise.allSettled([queue.enqueue('a'), queue.enqueue('b')]);
    expect(first.map((s) => s.status === 'rejected' && (s.reason as Error).message)).toEqual(['disk I/O error', 'disk I/O error']);
    fail = false;
    await expect(queue.enqueue('c')).resolves.toBe('c');
    expect(reports.map((r) => [r.items, r.failedItems, r.error?.message])).toEqual([
      [2, 2, 'disk I/O error'],
      [1, 0, undefined],
    ]);
  });

  it('drains batch by batch on demand, and settles every item even if the metrics hook throws', async () => {
    const sizes: number[] = [];
    const queue = new GroupCommitQueue<number, number>(
      (items) => {
        sizes.push(items.length);
        return items.map((value) => ({ ok: true, value }));
      },
      { maxBatch: 4, maxQueued: 6, lockWaitMs: 1000 },
      () => {
        throw new Error('hook broke');
      },
    );
    const pending = Array.from({ length: 10 }, (_, i) => queue.enqueue(i));
    await queue.drain();
    expect(sizes).toEqual([4, 4, 2]);
    expect(await Promise.all(pending)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(queue.stats()).toMatchObject({ batches: 3, committed: 10, pending: 0 });
  });

  it('retries a batch while the write lock is busy elsewhere, then writes it whole', async () => {
    let busy = 3;
    const batches: string[][] = [];
    const queue = new GroupCommitQueue<string, string>(
      (items) => {
        if (busy-- > 0) throw new WriteLockBusyError(new Error('database is locked'));
        batches.push(items);
        return items.map((value) => ({ ok: true, value }));
      },
      { maxBatch: 10, maxQueued: 10, lockWaitMs: 5000 },
    );
    await expect(Promise.all([queue.enqueue('a'), queue.enqueue('b')])).resolves.toEqual(['a', 'b']);
    expect(batches[0]).toEqual(['a', 'b']);
    expect(queue.stats()).toMatchObject({ lockRetries: 3, committed: 2, rejected: 0 });
  });

  it('rejects a batch with the lock error once it has waited lockWaitMs', async () => {
    const queue = new GroupCommitQueue<string, string>(
      () => {
        throw new WriteLockBusyError(new Error('database is locked'));
      },
      { maxBatch: 10, maxQueued: 10, lockWaitMs: 30 },
    );
    const started = performance.now();
    await expect(queue.enqueue('a')).rejects.toThrow('database is locked');
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    expect(queue.stats().lockRetries).toBeGreaterThan(0);
  });

  describe('with a durability step after each commit', () => {
    const gate = () => {
      const waits: { resolve(): void; reject(error: Error): void }[] = [];
      const durable = () => new Promise<void>((resolve, reject) => waits.push({ resolve, reject }));
      return { waits, durable };
    };
    const flushTurns = () => new Promise((resolve) => setTimeout(resolve, 20));

    it('settles a batch only once it is durable, and gathers the next batch meanwhile into one transaction', async () => {
      const batches: string[][] = [];
      const reports: BatchReport[] = [];
      const { waits, durable } = gate();
      const queue = new GroupCommitQueue<string, string>(
        (items) => {
          batches.push(items);
          return items.map((value) => ({ ok: true, value }));
        },
        { maxBatch: 100, maxQueued: 1000, lockWaitMs: 1000 },
        (report) => reports.push(report),
        durable,
      );
      let firstDone = false;
      const first = queue.enqueue('a').then((value) => ((firstDone = true), value));
      await flushTurns();
      expect(batches).toEqual([['a']]);
      expect(firstDone).toBe(false);
      expect(reports).toEqual([]);
      const later = [queue.enqueue('b'), queue.enqueue('c')];
      await flushTurns();
      queue.enqueue('d').catch(() => undefined);
      await flushTurns();
      expect(batches).toEqual([['a']]); // nothing is written while the first commit is being made durable
      waits[0].resolve();
      await expect(first).resolves.toBe('a');
      await flushTurns();
      expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
      waits[1].resolve();
      await expect(Promise.all(later)).resolves.toEqual(['b', 'c']);
      expect(reports.map((r) => r.items)).toEqual([1, 3]);
    });

    it('rejects every caller of a batch whose durability step fails, and drain waits for pending steps', async () => {
      const { waits, durable } = gate();
      const queue = new GroupCommitQueue<string, string>(
        (items) => items.map((value) => ({ ok: true, value })),
        { maxBatch: 100, maxQueued: 1000, lockWaitMs: 1000 },
        undefined,
        durable,
      );
      const batch = Promise.allSettled([queue.enqueue('a'), queue.enqueue('b')]);
      await flushTurns();
      let drained = false;
      const draining = queue.drain().then(() => (drained = true));
      await flushTurns();
      expect(drained).toBe(false);
      waits[0].reject(new Error('fdatasync: EIO'));
      await draining;
      expect((await batch).map((s) => s.status === 'rejected' && (s.reason as Error).message)).toEqual(['fdatasync: EIO', 'fdatasync: EIO']);
      expect(queue.stats()).toMatchObject({ committed: 0, rejected: 2 });
    });
  });
});
