import type { RecordedEvent } from '@ledgerline/event-store';
import type { Projector } from '../projector.port';
import type { ReadTx } from '../read-db/read-db.port';
import { lockCheckpoint, readStreamRevisions, writeCheckpoint, writeStreamRevisions, type Checkpoint } from './projection-checkpoints';

export type BatchOutcome =
  /** Applied and checkpointed (the caller's transaction commits both). */
  | { kind: 'applied'; position: bigint; applied: number; skipped: number }
  /** The stored checkpoint is not where the caller believed: nothing was written. */
  | { kind: 'moved'; checkpoint: Checkpoint | undefined };

/**
 * Applies `events` (consecutive, in log order, all after `expected`) to one read model inside `tx`
 * and moves its checkpoint to the last of them. An event whose stream revision is not above the
 * revision already recorded for its stream is skipped, so nothing is applied twice even if the
 * checkpoint was rewound without the read model.
 */
export async function applyBatch(
  tx: ReadTx,
  projector: Projector,
  events: readonly RecordedEvent[],
  expected: bigint | undefined,
): Promise<BatchOutcome> {
  if (events.length === 0) throw new Error('applyBatch needs at least one event');
  const stored = await lockCheckpoint(tx, projector.name);
  if (!stored || stored.version !== projector.version || stored.position !== expected) {
    return { kind: 'moved', checkpoint: stored };
  }
  const handled = projector.handles ? events.filter((e) => projector.handles!(e.type)) : events;
  const revisions = await readStreamRevisions(tx, projector.name, [...new Set(handled.map((e) => e.stream))]);
  const advanced = new Map<string, number>();
  const fresh: RecordedEvent[] = [];
  for (const event of handled) {
    const last = revisions.get(event.stream);
    if (last !== undefined && event.revision <= last) continue;
    fresh.push(event);
    revisions.set(event.stream, event.revision);
    advanced.set(event.stream, event.revision);
  }
  const skipped = handled.length - fresh.length;
  if (projector.applyAll) {
    if (fresh.length > 0) await projector.applyAll(fresh, tx);
  } else {
    for (const event of fresh) await projector.apply(event, tx);
  }
  await writeStreamRevisions(tx, projector.name, advanced);
  const position = events[events.length - 1].position;
  await writeCheckpoint(tx, projector.name, projector.version, position);
  return { kind: 'applied', position, applied: handled.length - skipped, skipped };
}
