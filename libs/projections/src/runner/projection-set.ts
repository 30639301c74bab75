import type { EventStore } from '@ledgerline/event-store';
import { assertValidProjectors, type Projector } from '../projector.port';
import type { ReadDb } from '../read-db/read-db.port';
import { ProjectionRunner, type ProjectionRunnerOptions, type RunnerState } from './projection-runner';
import { SharedTransactions } from './shared-transactions';

/** One read model's line in the readiness report. */
export interface ProjectionLag {
  name: string;
  version: number;
  state: RunnerState;
  position: bigint | undefined;
  /** Store head − checkpoint, in position units. */
  lag: bigint;
  error: string | undefined;
}

/**
 * The runners of every read model on one read database. They follow the log independently (each its
 * own subscription, checkpoint and failure), but the batches they take from the same new events
 * commit in one shared transaction (SharedTransactions): one commit per new event, not one per read model.
 */
export class ProjectionSet {
  readonly runners: readonly ProjectionRunner[];

  constructor(
    private readonly store: EventStore,
    db: ReadDb,
    projectors: readonly Projector[],
    options: ProjectionRunnerOptions = {},
  ) {
    assertValidProjectors(projectors);
    const shared = new SharedTransactions(db);
    this.runners = projectors.map((p) => new ProjectionRunner(store, db, p, { shared, ...options }));
  }

  get(name: string): ProjectionRunner | undefined {
    return this.runners.find((r) => r.name === name);
  }

  /**
   * Starts every runner, one after the other (their schema work shares one database). A runner that
   * fails to start is reported by `lagReport` as failed and does not keep the others from starting.
   */
  async start(): Promise<void> {
    for (const runner of this.runners) await runner.start().catch(() => undefined);
  }

  /** Stops every runner after its current batch. */
  async stop(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }

  /** State, position and lag of every read model, for `/health/ready`. */
  async lagReport(): Promise<ProjectionLag[]> {
    const head = await this.store.headPosition();
    return this.runners.map((runner) => {
      const status = runner.status();
      const behind = head === undefined ? 0n : head - (status.position ?? 0n);
      return {
        name: status.name,
        version: status.version,
        state: status.state,
        position: status.position,
        lag: behind > 0n ? behind : 0n,
        error: status.error,
      };
    });
  }

  /** True once every read model has applied `position`; false if any has not within `timeoutMs`. */
  async waitForAll(position: bigint, timeoutMs: number): Promise<boolean> {
    const results = await Promise.all(this.runners.map((r) => r.waitForPosition(position, timeoutMs)));
    return results.every(Boolean);
  }
}
