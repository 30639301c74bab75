import type { ReadDb, ReadTx } from '../read-db/read-db.port';

interface Work {
  /** The read model's name: works run in name order, so two sets lock checkpoint rows in one order. */
  name: string;
  fn: (tx: ReadTx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const SAVEPOINT = 'projection_batch';

/**
 * The batches several runners of one read database commit in the same turn of the event loop (one
 * new event wakes them all) go into one transaction instead of one each: one BEGIN/COMMIT, and the
 * pages they share — the checkpoint table above all — written once. Each batch runs inside its own
 * savepoint, so a projector that throws rolls back its own batch and checkpoint only; the others
 * commit. The transaction starts on the next turn, after pending I/O (a waiting request) is served.
 * A failure of the transaction itself (BEGIN or COMMIT) fails every batch in it.
 */
export class SharedTransactions {
  private queue: Work[] = [];
  private scheduled = false;

  constructor(private readonly db: ReadDb) {}

  /** Runs `fn` in a transaction shared with the other batches of this turn; settles as `fn` did, once committed. */
  run<T>(name: string, fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ name, fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const works = this.queue.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.queue = [];
    this.scheduled = false;
    if (works.length === 1) {
      const [work] = works;
      await this.db.transaction(work.fn).then(work.resolve, work.reject);
      return;
    }
    const outcomes: Outcome[] = [];
    try {
      await this.db.transaction(async (tx) => {
        for (const work of works) {
          await tx.exec(`SAVEPOINT ${SAVEPOINT}`);
          try {
            const value = await work.fn(tx);
            await tx.exec(`RELEASE SAVEPOINT ${SAVEPOINT}`);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await tx.exec(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
            await tx.exec(`RELEASE SAVEPOINT ${SAVEPOINT}`);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const work of works) work.reject(error);
      return;
    }
    works.forEach((work, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) work.resolve(outcome.value);
      else work.reject(outcome.error);
    });
  }
}
