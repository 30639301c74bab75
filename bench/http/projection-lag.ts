import Database from 'better-sqlite3';
import { summariseLatencies, type LatencySummary } from './latency';
import type { CreatedSample } from './open-loop';

export interface LagResult extends LatencySummary {
  /** Sampled creates whose row never became visible before the prober gave up. */
  unseen: number;
}

const POLL_MS = 1;

/**
 * Polls a `documents` table read-only (its own connection, never writing) about every millisecond
 * for the ids of sampled creates; a create's lag is the first poll that sees its row minus the time
 * its 201 arrived. Resolution: the poll interval plus this event loop's delay in taking the
 * generator's message (the baseline, whose row is committed before its 201, measures that floor).
 */
export class ReadModelProbe {
  private readonly db: Database.Database;
  private readonly visible: Database.Statement<[string], { id: string }>;
  private readonly pending = new Map<string, bigint>();
  private readonly lagsMs: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.visible = this.db.prepare('SELECT id FROM documents WHERE id IN (SELECT value FROM json_each(?))');
  }

  watch(sample: CreatedSample): void {
    this.pending.set(sample.id, BigInt(sample.receivedAtNs));
    this.timer ??= setTimeout(() => this.poll(), 0);
  }

  /** Keeps polling until every watched row is seen or `giveUpMs` has passed, then closes. */
  async finish(giveUpMs: number): Promise<LagResult> {
    const deadline = Date.now() + giveUpMs;
    while (this.pending.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    clearTimeout(this.timer);
    this.db.close();
    return { ...summariseLatencies(this.lagsMs), unseen: this.pending.size };
  }

  private poll(): void {
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const seen = this.visible.all(JSON.stringify([...this.pending.keys()]));
    const now = process.hrtime.bigint();
    for (const { id } of seen) {
      this.lagsMs.push(Number(now - (this.pending.get(id) ?? now)) / 1e6);
      this.pending.delete(id);
    }
    if (this.pending.size > 0) this.timer = setTimeout(() => this.poll(), POLL_MS);
  }
}
