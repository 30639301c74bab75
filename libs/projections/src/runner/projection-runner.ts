import type { EventStore, EventSubscription, RecordedEvent } from '@ledgerline/event-store';
import { assertValidProjectors, type Projector } from '../projector.port';
import type { ReadDb, ReadTx } from '../read-db/read-db.port';
import { applyBatch, type BatchOutcome } from './apply-batch';
import { ensureCheckpointTables, lockCheckpoint, resetProjection } from './projection-checkpoints';
import { stderrLogger, type ProjectionLogger } from './projection-logger';
import type { SharedTransactions } from './shared-transactions';

export interface ProjectionRunnerOptions {
  /** Most events applied in one transaction, and most events the runner holds in memory. Default 500. */
  batchSize?: number;
  logger?: ProjectionLogger;
  /**
   * false: never create, drop or alter tables (a runtime database role that may not). The read model
   * must already be at this projector's version (`prepare()` run by the owner role), else start fails.
   */
  migrate?: boolean;
  /**
   * Commit batches through this transaction sharer (ProjectionSet gives its runners one), so the
   * batches several read models take from one new event commit together. Default: a transaction each.
   */
  shared?: SharedTransactions;
}

export type RunnerState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface RunnerStatus {
  name: string;
  version: number;
  state: RunnerState;
  /** Last position applied and committed; undefined before the first event. */
  position: bigint | undefined;
  /** Why the runner failed (state `failed`). */
  error: string | undefined;
  /** Events applied (handled, not skipped) since the runner was created. */
  eventsApplied: number;
  batches: number;
  /** Largest number of events the runner has held at once: never above the batch size. */
  maxHeldEvents: number;
}

interface Waiter {
  position: bigint;
  settle(reached: boolean): void;
}

type Follow = 'stop' | 'resubscribe';

const TICK = Symbol('tick');
const STOP = Symbol('stop');

/** Resolves after pending I/O callbacks: an event already buffered by the subscription arrives first. */
const nextTurn = (): Promise<typeof TICK> => new Promise((resolve) => setImmediate(resolve, TICK));

/** PostgreSQL raises these when two connections create the same table at once; a retry sees it exists. */
const isDdlRace = (error: unknown): boolean => ['23505', '42P07'].includes((error as { code?: string })?.code ?? '');

/**
 * Keeps one read model up to date: a catch-up subscription from the stored checkpoint, events
 * applied in order in batches, each batch and its checkpoint committed in one transaction.
 *
 * Backpressure is by pulling: the next event is requested only while the batch has room, so a
 * slow projector slows the subscription instead of filling memory. A projector error rolls the
 * batch back and stops the runner (state `failed`) at that event; it is never skipped.
 */
export class ProjectionRunner {
  private state: RunnerState = 'idle';
  private checkpoint: bigint | undefined;
  private failure: Error | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly batchSize: number;
  private readonly migrate: boolean;
  private readonly logger: ProjectionLogger;
  private readonly shared: SharedTransactions | undefined;
  private stopRequested = false;
  private stopSignal: Promise<typeof STOP> = new Promise(() => undefined);
  private signalStop: () => void = () => undefined;
  private starting: Promise<void> | undefined;
  private loopDone: Promise<void> | undefined;
  private eventsApplied = 0;
  private batches = 0;
  private maxHeldEvents = 0;

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadDb,
    readonly projector: Projector,
    options: ProjectionRunnerOptions = {},
  ) {
    assertValidProjectors([projector]);
    this.batchSize = options.batchSize ?? 500;
    if (!Number.isSafeInteger(this.batchSize) || this.batchSize < 1) throw new Error(`invalid batch size ${options.batchSize}`);
    this.logger = options.logger ?? stderrLogger;
    this.migrate = options.migrate ?? true;
    this.shared = options.shared;
  }

  get name(): string {
    return this.projector.name;
  }

  /**
   * Prepares the read model (creating it, or dropping and rebuilding it when the projector's version
   * changed) and starts following the log. Resolves once following; rejects if preparing failed.
   */
  start(): Promise<void> {
    if (this.state === 'starting' || this.state === 'running') return this.starting!;
    if (this.state === 'stopping') return Promise.reject(new Error(`projection ${this.name} is still stopping`));
    this.state = 'starting';
    this.failure = undefined;
    this.stopRequested = false;
    this.stopSignal = new Promise((resolve) => (this.signalStop = () => resolve(STOP)));
    this.starting = (async () => {
      try {
        await this.initialize();
      } catch (error) {
        this.fail(error);
        throw error;
      }
      if (this.stopRequested) {
        this.finish();
        return;
      }
      this.state = 'running';
      this.logger.info(`projection ${this.name} v${this.projector.version} following the log`, {
        projection: this.name,
        position: this.checkpoint?.toString() ?? null,
      });
      this.loopDone = this.loop();
    })();
    return this.starting;
  }

  /** Stops after the batch in progress has committed. */
  async stop(): Promise<void> {
    if (this.state !== 'starting' && this.state !== 'running') return;
    this.state = 'stopping';
    this.stopRequested = true;
    this.signalStop();
    await this.starting?.catch(() => undefined);
    await this.loopDone;
  }

  /** Last committed position; undefined before the first event. */
  position(): bigint | undefined {
    return this.checkpoint;
  }

  /** How far behind the log's head this read model is, in position units (0n when caught up). */
  async lag(): Promise<bigint> {
    const head = await this.store.headPosition();
    if (head === undefined) return 0n;
    const behind = head - (this.checkpoint ?? 0n);
    return behind > 0n ? behind : 0n;
  }

  /**
   * Resolves true once `position` is applied (immediately if it already is), false after `timeoutMs`
   * or as soon as the runner stops or fails. Woken by batch commits, never by polling.
   */
  waitForPosition(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.reached(position)) return Promise.resolve(true);
    if (this.state === 'failed' || this.state === 'stopped') return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        settle: (reached) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => waiter.settle(false), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  status(): RunnerStatus {
    return {
      name: this.name,
      version: this.projector.version,
      state: this.state,
      position: this.checkpoint,
      error: this.failure?.message,
      eventsApplied: this.eventsApplied,
      batches: this.batches,
      maxHeldEvents: this.maxHeldEvents,
    };
  }

  private reached(position: bigint): boolean {
    return this.checkpoint !== undefined && this.checkpoint >= position;
  }

  /**
   * Creates the read model, or drops and rebuilds it when the projector's version changed, without
   * following the log: the migration step an owner role runs before runtime instances start.
   */
  async prepare(): Promise<void> {
    if (!this.migrate) throw new Error(`projection ${this.name}: prepare() needs a runner allowed to migrate`);
    await this.initialize();
  }

  private async initialize(): Promise<void> {
    if (!this.migrate) {
      this.checkpoint = await this.db.transaction(async (tx) => {
        const stored = await lockCheckpoint(tx, this.name);
        if (stored?.version !== this.projector.version) {
          throw new Error(
            `read model ${this.name} is not migrated to v${this.projector.version} (found ${stored ? `v${stored.version}` : 'nothing'}): run \`npm run db:migrate\` with the owner role`,
          );
        }
        return stored.position;
      });
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        this.checkpoint = await this.db.transaction(async (tx) => {
          await ensureCheckpointTables(tx);
          const stored = await lockCheckpoint(tx, this.name);
          const version = this.projector.version;
          if (stored && stored.version > version) {
            throw new Error(`read model ${this.name} is at version ${stored.version}, newer than this projector (v${version})`);
          }
          if (stored && stored.version === version) {
            await this.projector.migrate(tx);
            return stored.position;
          }
          this.logger.info(
            stored
              ? `projection ${this.name}: version ${stored.version} → ${version}, dropping and rebuilding from the log`
              : `projection ${this.name}: creating read model v${version}`,
            { projection: this.name },
          );
          await resetProjection(tx, this.projector);
          return undefined;
        });
        return;
      } catch (error) {
        if (attempt >= 3 || !isDdlRace(error)) throw error;
      }
    }
  }

  private async loop(): Promise<void> {
    try {
      while (!this.stopRequested) {
        if ((await this.follow()) === 'stop') break;
      }
      this.finish();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Follows one subscription until asked to stop or until the checkpoint moved under us. */
  private async follow(): Promise<Follow> {
    const subscription: EventSubscription = this.store.subscribeAll(this.checkpoint === undefined ? {} : { after: this.checkpoint });
    const iterator = subscription[Symbol.asyncIterator]();
    let pending: Promise<IteratorResult<RecordedEvent>> | undefined;
    try {
      for (;;) {
        pending ??= iterator.next();
        const first = await Promise.race([pending, this.stopSignal]);
        if (first === STOP) return 'stop';
        pending = undefined;
        if (first.done) {
          this.logger.warn(`projection ${this.name}: the event subscription ended`, { projection: this.name });
          return 'stop';
        }
        const batch: RecordedEvent[] = [first.value];
        let ended = false;
        // Take what the subscription delivers before the event loop turns (what it already has), up to
        // the batch size; never ask for more than fits.
        const turn = nextTurn();
        while (batch.length < this.batchSize && !this.stopRequested) {
          const next = iterator.next();
          const result = await Promise.race([next, turn]);
          if (result === TICK) {
            pending = next;
            break;
          }
          if (result.done) {
            ended = true;
            break;
          }
          batch.push(result.value);
        }
        this.maxHeldEvents = Math.max(this.maxHeldEvents, batch.length);
        if ((await this.commit(batch)) === 'resubscribe') return 'resubscribe';
        if (ended || this.stopRequested) return 'stop';
      }
    } finally {
      // An abandoned request settles when the subscription closes; its outcome no longer matters.
      pending?.catch(() => undefined);
      await subscription.close();
    }
  }

  private async commit(batch: RecordedEvent[]): Promise<'continue' | 'resubscribe'> {
    const expected = this.checkpoint;
    const work = (tx: ReadTx): Promise<BatchOutcome> => applyBatch(tx, this.projector, batch, expected);
    const outcome = await (this.shared ? this.shared.run(this.name, work) : this.db.transaction(work));
    if (outcome.kind === 'applied') {
      this.checkpoint = outcome.position;
      this.eventsApplied += outcome.applied;
      this.batches++;
      if (outcome.skipped > 0) {
        this.logger.warn(`projection ${this.name}: skipped ${outcome.skipped} event(s) already applied (stream revision guard)`, {
          projection: this.name,
        });
      }
      this.wakeWaiters();
      return 'continue';
    }
    // Another writer (a second runner during a takeover, or a rebuild) moved the checkpoint: follow it.
    const stored = outcome.checkpoint;
    if (stored && stored.version > this.projector.version) {
      throw new Error(`read model ${this.name} was rebuilt at version ${stored.version} by a newer projector (this is v${this.projector.version})`);
    }
    this.logger.warn(`projection ${this.name}: checkpoint changed by another writer, resubscribing`, {
      projection: this.name,
      position: stored?.position?.toString() ?? null,
    });
    if (!stored || stored.version < this.projector.version) await this.initialize();
    else this.checkpoint = stored.position;
    this.wakeWaiters();
    return 'resubscribe';
  }

  private wakeWaiters(): void {
    for (const waiter of [...this.waiters]) if (this.reached(waiter.position)) waiter.settle(true);
  }

  private finish(): void {
    if (this.state === 'failed') return;
    this.state = 'stopped';
    this.settleAll(false);
  }

  private fail(error: unknown): void {
    this.failure = error instanceof Error ? error : new Error(String(error));
    this.state = 'failed';
    this.logger.error(`projection ${this.name} stopped: ${this.failure.message}`, {
      projection: this.name,
      position: this.checkpoint?.toString() ?? null,
      stack: this.failure.stack,
    });
    this.settleAll(false);
  }

  private settleAll(reached: boolean): void {
    for (const waiter of [...this.waiters]) waiter.settle(reached || this.reached(waiter.position));
  }
}
