import type { Position } from '@eventstore/db-client';

const UINT64_MAX = (1n << 64n) - 1n;
/** Read models keep positions in signed 64-bit columns (SQLite INTEGER, PostgreSQL BIGINT). */
const INT64_MAX = (1n << 63n) - 1n;

/**
 * Maps EventStoreDB's `(commit, prepare)` pair to the port's bigint position. Every event written
 * outside an explicit transaction — all gRPC appends, batched or not — has commit = prepare, its byte
 * offset in the transaction log, unique and in $all order: that offset is the port position, exact
 * and small enough for the read models' 64-bit position columns. Events of legacy explicit
 * transactions (TCP clients; commit ≠ prepare) have no such position and are refused, named.
 */
export function toPortPosition(position: Position): bigint {
  const { commit, prepare } = position;
  if (commit < 0n || commit > INT64_MAX || prepare < 0n || prepare > UINT64_MAX) {
    throw new RangeError(`EventStoreDB position out of range: commit ${commit}, prepare ${prepare}`);
  }
  if (commit !== prepare) {
    throw new RangeError(
      `EventStoreDB event at commit ${commit}, prepare ${prepare} was written in an explicit transaction; Ledgerline reads only non-transaction events (commit = prepare)`,
    );
  }
  return commit;
}

/** The inverse of toPortPosition. */
export function toEsdbPosition(position: bigint): Position {
  if (position < 0n || position > INT64_MAX) throw new RangeError(`not an EventStoreDB position: ${position}`);
  return { commit: position, prepare: position };
}

/**
 * Servers before 22.6 send no $all position with stream reads (2^64-1 for both halves, the server's
 * Position.End); such an event's place in the global log is unknown.
 */
export function isUnknownPosition(position: Position | undefined): boolean {
  return position === undefined || (position.commit === UINT64_MAX && position.prepare === UINT64_MAX);
}
