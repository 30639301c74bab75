import type { CommitSync } from './wal-file-sync';

/**
 * How far the log is on disk, for one connection that commits without an fsync (synchronous=NORMAL)
 * and makes its commits durable afterwards through `sync` (WalFileSync): what the store's appends wait
 * for before they are answered, and what its subscriptions wait for before they deliver.
 */
export class DurableCommits {
  /** Highest position written by this connection's last COMMIT. */
  private committedThrough = 0n;
  /** Highest position known to be on disk: synced here, or told by another thread after its sync. */
  private durableThrough = 0n;
  /** Set when a commit could not be made durable: nothing more is appended (its outcome is unknown). */
  private failure: Error | undefined;

  constructor(private readonly sync: CommitSync) {}

  /** The log is on disk through this position. */
  get through(): bigint {
    return this.durableThrough;
  }

  /** Throws once a commit could not be made durable. */
  assertHealthy(): void {
    if (this.failure) throw this.failure;
  }

  /** A COMMIT of this connection wrote up to `position`. */
  committed(position: bigint): void {
    if (position > this.committedThrough) this.committedThrough = position;
  }

  /** Another thread made the log durable through `position` (its commit notice). */
  heard(position: bigint): void {
    if (position > this.durableThrough) this.durableThrough = position;
  }

  /** Right after a COMMIT: resolves once it is on disk; on failure every later append is refused. */
  async afterCommit(): Promise<void> {
    const through = this.committedThrough;
    try {
      await this.sync.sync();
    } catch (error) {
      this.failure ??= new Error(`event store: a commit could not be made durable (${(error as Error).message}); appends are refused until restart`);
      throw this.failure;
    }
    this.heard(through);
  }

  /**
   * While a COMMIT of this connection waits for its fsync: the position its rows come after. A reader
   * stops before them and hears of them with everyone else once they are on disk, instead of meeting
   * them early and waiting for a sync of its own.
   */
  pendingAfter(): bigint | undefined {
    return this.committedThrough > this.durableThrough ? this.durableThrough : undefined;
  }

  /** Resolves once the log is on disk through `position`; undefined when it already is. */
  untilDurable(position: bigint): Promise<void> | undefined {
    if (position <= this.durableThrough) return undefined;
    // The caller read these rows after they were committed, so a sync started now covers them.
    return this.sync.sync().then(() => this.heard(position));
  }

  close(): Promise<void> {
    return this.sync.close();
  }
}
