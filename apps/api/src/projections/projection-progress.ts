import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '@ledgerline/event-store';
import { readCheckpoint, type ProjectionSet, type Projector, type ReadDb } from '@ledgerline/projections';
import { EVENT_STORE } from '../event-store/event-store.tokens';
import { PROJECTION_SET, PROJECTORS, READ_DB } from './projections.tokens';

/** One read model's line in /health/ready. `remote`: another process (the worker) runs it. */
export interface ReadModelProgress {
  name: string;
  version: number;
  state: string;
  /** Last applied position (decimal), null before the first event. */
  position: string | null;
  /** Store head minus checkpoint, in position units (decimal). */
  lag: string;
  error?: string;
}

const POLL_MS = 50;

/**
 * How far the read models are: answers from the local runners when this instance runs them, else
 * from the checkpoints the worker commits in the read database (polled, as there is nothing to wake us).
 */
@Injectable()
export class ProjectionProgress {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(PROJECTORS) private readonly projectors: readonly Projector[],
    @Inject(PROJECTION_SET) private readonly set: ProjectionSet | null,
  ) {}

  /**
   * True once the named read models (default: all) have applied `position`; false after
   * `timeoutMs`. Positions the store has not reached yet can only time out.
   */
  async waitFor(position: bigint, timeoutMs: number, names?: readonly string[]): Promise<boolean> {
    const selected = names ? this.projectors.filter((p) => names.includes(p.name)) : this.projectors;
    if (this.set) {
      const set = this.set;
      const results = await Promise.all(selected.map((p) => set.get(p.name)?.waitForPosition(position, timeoutMs) ?? false));
      return results.every(Boolean);
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.allReached(selected, position)) return true;
      if (Date.now() + POLL_MS > deadline) return false;
      await sleep(POLL_MS);
    }
  }

  /** Waits (bounded) until the named read models have applied everything the log held when called. */
  async catchUp(timeoutMs: number, names?: readonly string[]): Promise<boolean> {
    const head = await this.store.headPosition();
    return head === undefined ? true : this.waitFor(head, timeoutMs, names);
  }

  /** State and lag of every read model. */
  async report(): Promise<ReadModelProgress[]> {
    if (this.set) {
      return (await this.set.lagReport()).map((line) => ({
        name: line.name,
        version: line.version,
        state: line.state,
        position: line.position?.toString() ?? null,
        lag: line.lag.toString(),
        ...(line.error !== undefined ? { error: 'projection stopped; see the log' } : {}),
      }));
    }
    const head = (await this.store.headPosition()) ?? 0n;
    return Promise.all(
      this.projectors.map(async (p) => {
        const checkpoint = await readCheckpoint(this.db, p.name).catch(() => undefined);
        const behind = head - (checkpoint?.position ?? 0n);
        return {
          name: p.name,
          version: p.version,
          state: 'remote',
          position: checkpoint?.position?.toString() ?? null,
          lag: (behind > 0n ? behind : 0n).toString(),
        };
      }),
    );
  }

  private async allReached(projectors: readonly Projector[], position: bigint): Promise<boolean> {
    for (const p of projectors) {
      const checkpoint = await readCheckpoint(this.db, p.name).catch(() => undefined);
      if (checkpoint?.position === undefined || checkpoint.position < position) return false;
    }
    return true;
  }
}
