import { CHECKPOINT_STREAM, COSIGNATURE_STREAM } from '@ledgerline/integrity';
import type { AuditFilter } from './audit-filter';

/** Global positions `from ≤ p < until`; an undefined end is open. */
export interface PositionRange {
  from?: bigint;
  until?: bigint;
}

export interface AuditSelection {
  filter: AuditFilter;
  range: PositionRange;
  /** Leave out the notary's own stream (its events are not leaves of the log, SPEC §4). */
  excludeCheckpoints?: boolean;
}

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

type EqualityColumn = 'stream' | 'actor_id' | 'type';

/**
 * The filter whose index drives a query, most selective kind first: a stream is a handful of
 * events, an actor a person's history, a type a share of the whole log. Each has an index
 * `(column, position)`, so paging in position order is a range scan with no sort.
 */
export function drivingColumn(filter: AuditFilter): EqualityColumn | undefined {
  if (filter.stream !== undefined) return 'stream';
  if (filter.actor !== undefined) return 'actor_id';
  if (filter.type !== undefined) return 'type';
  return undefined;
}

/** True when rows of the driving scan may fail other conditions, so a scan must be bounded by a window. */
export function hasResidualConditions(selection: AuditSelection): boolean {
  const { filter } = selection;
  const equalities = [filter.stream, filter.actor, filter.type].filter((value) => value !== undefined).length;
  return equalities > 1 || filter.from !== undefined || filter.to !== undefined || selection.excludeCheckpoints === true;
}

const EQUALITIES: [EqualityColumn, keyof AuditFilter][] = [
  ['stream', 'stream'],
  ['actor_id', 'actor'],
  ['type', 'type'],
];

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The WHERE conditions. Only the driving equality is written plainly; the other equalities compare
 * `column || ''`, which no index can serve on SQLite or PostgreSQL, so neither planner wanders off to
 * a less selective index (SQLite has no statistics to tell `type` from `stream`).
 */
function conditions(selection: AuditSelection, params: Params, drivingOnly: boolean): string[] {
  const { filter, range } = selection;
  const driving = drivingColumn(filter);
  const out: string[] = [];
  for (const [column, member] of EQUALITIES) {
    const value = filter[member];
    if (value === undefined) continue;
    if (column === driving) out.push(`a.${column} = ${params.add(value)}`);
    else if (!drivingOnly) out.push(`(a.${column} || '') = ${params.add(value)}`);
  }
  if (range.from !== undefined) out.push(`a.position >= ${params.add(range.from)}`);
  if (range.until !== undefined) out.push(`a.position < ${params.add(range.until)}`);
  if (drivingOnly) return out;
  if (filter.from !== undefined) out.push(`a.time >= ${params.add(filter.from)}`);
  if (filter.to !== undefined) out.push(`a.time < ${params.add(filter.to)}`);
  if (selection.excludeCheckpoints) out.push(`(a.stream || '') NOT IN (${params.add(CHECKPOINT_STREAM)}, ${params.add(COSIGNATURE_STREAM)})`);
  return out;
}

function where(parts: string[]): string {
  return parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`;
}

/** One page of matching rows in position order, with the tree's leaf index when it has the event. */
export function pageQuery(selection: AuditSelection, limit: number): SqlQuery {
  const params = new Params();
  const parts = conditions(selection, params, false);
  const sql = `SELECT a.position, a.event_id, a.stream, a.revision, a.type, a.time, a.actor_kind, a.actor_id, l.leaf_index
    FROM audit_events a LEFT JOIN merkle_leaves l ON l.event_id = a.event_id
    ${where(parts)} ORDER BY a.position LIMIT CAST(${params.add(limit)} AS INTEGER)`;
  return { sql, params: params.values };
}

/**
 * The position of the driving scan's row number `budget` (0-based) inside the range: rows before it
 * are the most one page query may examine. Undefined (no row) when fewer rows remain.
 */
export function windowEndQuery(selection: AuditSelection, budget: number): SqlQuery {
  const params = new Params();
  const parts = conditions(selection, params, true);
  const sql = `SELECT a.position FROM audit_events a ${where(parts)} ORDER BY a.position LIMIT 1 OFFSET ${params.add(budget)}`;
  return { sql, params: params.values };
}

/** How many rows match (for the `pending` count of an export: a short range after the checkpoint). */
export function countQuery(selection: AuditSelection): SqlQuery {
  const params = new Params();
  const parts = conditions(selection, params, false);
  return { sql: `SELECT COUNT(*) AS n FROM audit_events a ${where(parts)}`, params: params.values };
}

/**
 * The first position whose running maximum time reaches `from`: no event before it has a time ≥ `from`.
 * `max_time` never decreases with position, so the first entry of its index is that position.
 */
export function lowerBoundQuery(from: string): SqlQuery {
  return { sql: 'SELECT position FROM audit_events WHERE max_time >= $1 ORDER BY max_time, position LIMIT 1', params: [from] };
}

/** The first position from which every indexed event has a time ≥ `to`: no event of `[…, to)` is at or after it. */
export function upperBoundQuery(to: string): SqlQuery {
  return { sql: 'SELECT position FROM audit_events WHERE min_time_after >= $1 ORDER BY min_time_after, position LIMIT 1', params: [to] };
}

/** One event by id, with its leaf index. */
export function byIdQuery(eventId: string): SqlQuery {
  return {
    sql: `SELECT a.position, a.event_id, a.stream, a.revision, a.type, a.time, a.actor_kind, a.actor_id, l.leaf_index
      FROM audit_events a LEFT JOIN merkle_leaves l ON l.event_id = a.event_id WHERE a.event_id = $1`,
    params: [eventId],
  };
}
