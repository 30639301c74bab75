import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '@ledgerline/event-store';
import { readCheckpoint, type ProjectionRunner, type ProjectionSet, type Projector, type ReadDb } from '@ledgerline/projections';
import { EVENT_STORE } from '../event-store/event-store.tokens';
import { PROJECTION_SET, PROJECTORS, READ_DB } from './projections.tokens';

/**
 * One read model's line in /health/ready. `state` is the local runner's when it runs here;
 * `standby` when this instance could run it but another leads; `remote` when it never runs here
 * (WORKER=off).
 */
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

function running(runner: ProjectionRunner | undefined): runner is ProjectionRunner {
  const state = runner?.status().state;
  return state === 'running' || state === 'starting';
}

/**
 * How far the read models are. A read model whose runner runs in this process answers from it
 * (woken by its commits); any other — WORKER=off, or a worker that is not the leader — from the
 * checkpoint the running one commits in the read database, polled.
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
    const deadline = Date.now() + timeoutMs;
    const results = await Promise.all(
      selected.map((p) => {
        const runner = this.set?.get(p.name);
        return running(runner) ? runner.waitForPosition(position, timeoutMs) : this.pollCheckpoint(p.name, position, deadline);
      }),
    );
    return results.every(Boolean);
  }

  /** Waits (bounded) until the named read models have applied everything the log held when called. */
  async catchUp(timeoutMs: number, names?: readonly string[]): Promise<boolean> {
    const head = await this.store.headPosition();
    return head === undefined ? true : this.waitFor(head, timeoutMs, names);
  }

  /** State and lag of every read model. */
  async report(): Promise<ReadModelProgress[]> {
    const head = (await this.store.headPosition()) ?? 0n;
    return Promise.all(
      this.projectors.map(async (p) => {
        const runner = this.set?.get(p.name);
        const status = runner?.status();
        const local = running(runner);
        const position = local ? status?.position : (await readCheckpoint(this.db, p.name).catch(() => undefined))?.position;
        const behind = head - (position ?? 0n);
        const state = status === undefined ? 'remote' : local || status.state === 'failed' ? status.state : 'standby';
        return {
          name: p.name,
          version: p.version,
          state,
          position: position?.toString() ?? null,
          lag: (behind > 0n ? behind : 0n).toString(),
          ...(status?.state === 'failed' ? { error: 'projection stopped; see the log' } : {}),
        };
      }),
    );
  }

  private async pollCheckpoint(name: string, position: bigint, deadline: number): Promise<boolean> {
    for (;;) {
      const checkpoint = await readCheckpoint(this.db, name).catch(() => undefined);
      if (checkpoint?.position !== undefined && checkpoint.position >= position) return true;
      if (Date.now() + POLL_MS > deadline) return false;
      await sleep(POLL_MS);
    }
  }
}
