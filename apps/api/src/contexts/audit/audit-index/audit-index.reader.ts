import { Inject, Injectable } from '@nestjs/common';
import { toBigInt, type ReadDb } from '@ledgerline/projections';
import { READ_DB } from '../../../platform/projections/projections.tokens';
import type { AuditFilter } from './audit-filter';
import {
  byIdQuery,
  countQuery,
  hasResidualConditions,
  lowerBoundQuery,
  pageQuery,
  upperBoundQuery,
  windowEndQuery,
  type AuditSelection,
  type PositionRange,
  type SqlQuery,
} from './audit-index.sql';

/** One indexed event. `leafIndex` is null until the notary's tree holds it (and forever for checkpoint events). */
export interface AuditIndexRow {
  position: bigint;
  eventId: string;
  stream: string;
  revision: number;
  type: string;
  time: string;
  actorKind: string;
  actorId: string;
  leafIndex: number | null;
}

export interface AuditIndexPage {
  rows: AuditIndexRow[];
  /** Continue after this position; null when nothing more can match. */
  next: bigint | null;
}

export interface PageOptions {
  /** Only positions above this one (the cursor). */
  after?: bigint;
  limit: number;
  /** Only positions up to this one (an export's checkpoint). */
  atMost?: bigint;
  /** Most rows of the driving index one page may examine when other conditions remain (default SCAN_BUDGET; Infinity: no bound). */
  scanBudget?: number;
}

/**
 * Rows one page query may examine beyond its driving index: a combination like "this actor, this rare
 * type" costs at most this much per request; the page may come back short (even empty) with a cursor
 * to continue from (SPEC §7.5 bounded audit queries).
 */
export const SCAN_BUDGET = 20_000;

interface Row {
  position: unknown;
  event_id: string;
  stream: string;
  revision: unknown;
  type: string;
  time: string;
  actor_kind: string;
  actor_id: string;
  leaf_index: unknown;
}

/** Reads the `audit-index` read model (see auditIndexProjector) joined with the notary's leaves. */
@Injectable()
export class AuditIndexReader {
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  /** The position range that holds every event of the filter's time range; null when no event can match. */
  async timeRange(filter: AuditFilter): Promise<PositionRange | null> {
    const range: PositionRange = {};
    if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) return null;
    if (filter.from !== undefined) {
      const lower = await this.position(lowerBoundQuery(filter.from));
      if (lower === undefined) return null;
      range.from = lower;
    }
    if (filter.to !== undefined) {
      const upper = await this.position(upperBoundQuery(filter.to));
      if (upper !== undefined) range.until = upper;
    }
    return range;
  }

  /** One page of matching events in position order. */
  async page(filter: AuditFilter, options: PageOptions): Promise<AuditIndexPage> {
    const timeRange = await this.timeRange(filter);
    if (timeRange === null) return { rows: [], next: null };
    const range = intersect(timeRange, {
      from: options.after !== undefined ? options.after + 1n : undefined,
      until: options.atMost !== undefined ? options.atMost + 1n : undefined,
    });
    if (range.from !== undefined && range.until !== undefined && range.from >= range.until) return { rows: [], next: null };
    const selection: AuditSelection = { filter, range };

    let windowEnd: bigint | undefined;
    const budget = options.scanBudget ?? SCAN_BUDGET;
    if (Number.isFinite(budget) && hasResidualConditions(selection)) {
      windowEnd = await this.position(windowEndQuery(selection, budget));
      if (windowEnd !== undefined) selection.range = intersect(range, { until: windowEnd });
    }
    const rows = (await this.run(pageQuery(selection, options.limit + 1))).map(toIndexRow);
    if (rows.length > options.limit) {
      const page = rows.slice(0, options.limit);
      return { rows: page, next: page[page.length - 1].position };
    }
    return { rows, next: windowEnd !== undefined ? windowEnd - 1n : null };
  }

  /** How many events match in `range` (no scan budget: callers keep the range short). */
  async count(filter: AuditFilter, range: PositionRange, excludeCheckpoints = false): Promise<number> {
    const timeRange = await this.timeRange(filter);
    if (timeRange === null) return 0;
    const rows = await this.run(countQuery({ filter, range: intersect(timeRange, range), excludeCheckpoints }));
    return Number(rows[0]?.n ?? 0);
  }

  async byId(eventId: string): Promise<AuditIndexRow | undefined> {
    const rows = await this.run(byIdQuery(eventId));
    return rows[0] === undefined ? undefined : toIndexRow(rows[0]);
  }

  private async position(query: SqlQuery): Promise<bigint | undefined> {
    const rows = await this.run(query);
    return rows[0] === undefined ? undefined : toBigInt(rows[0].position);
  }

  private run(query: SqlQuery): Promise<Record<string, unknown>[]> {
    return this.db.query(query.sql, query.params);
  }
}


function intersect(a: PositionRange, b: PositionRange): PositionRange {
  const from = a.from === undefined ? b.from : b.from === undefined ? a.from : a.from > b.from ? a.from : b.from;
  const until = a.until === undefined ? b.until : b.until === undefined ? a.until : a.until < b.until ? a.until : b.until;
  return { ...(from !== undefined && { from }), ...(until !== undefined && { until }) };
}

function toIndexRow(row: Record<string, unknown>): AuditIndexRow {
  const r = row as unknown as Row;
  return {
    position: toBigInt(r.position),
    eventId: r.event_id,
    stream: r.stream,
    revision: Number(r.revision),
    type: r.type,
    time: r.time,
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    leafIndex: r.leaf_index === null || r.leaf_index === undefined ? null : Number(r.leaf_index),
  };
}
