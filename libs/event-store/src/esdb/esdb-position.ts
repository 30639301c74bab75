import type { Position } from '@eventstore/db-client';

const UINT64_MAX = (1n << 64n) - 1n;

/**
 * Folds EventStoreDB's `(commit, prepare)` pair into the port's single bigint as `commit·2^64 + prepare`.
 * Both halves are unsigned 64-bit on the wire, so the fold loses nothing, and it orders exactly as the
 * server orders positions (commit first, then prepare).
 */
export function toPortPosition(position: Position): bigint {
  const { commit, prepare } = position;
  if (commit < 0n || commit > UINT64_MAX || prepare < 0n || prepare > UINT64_MAX) {
    throw new RangeError(`EventStoreDB position out of range: commit ${commit}, prepare ${prepare}`);
  }
  return (commit << 64n) | prepare;
}

/** The inverse of toPortPosition. */
export function toEsdbPosition(position: bigint): Position {
  if (position < 0n || position >> 128n !== 0n) throw new RangeError(`not an EventStoreDB position: ${position}`);
  return { commit: position >> 64n, prepare: position & UINT64_MAX };
}

/**
 * Servers before 22.6 send no $all position with stream reads (2^64-1 for both halves, the server's
 * Position.End); such an event's place in the global log is unknown.
 */
export function isUnknownPosition(position: Position | undefined): boolean {
  return position === undefined || (position.commit === UINT64_MAX && position.prepare === UINT64_MAX);
}
