import type { EventStore, RecordedEvent } from '@ledgerline/event-store';
import { assertValidProjectors, type Projector } from '../projector.port';
import type { ReadDb } from '../read-db/read-db.port';
import { applyBatch } from '../runner/apply-batch';
import { ensureCheckpointTables, resetProjection } from '../runner/projection-checkpoints';

export interface RebuildProgress {
  /** Position replayed so far (0n before the first batch). */
  done: bigint;
  /** The log's head when the rebuild began: the replay's target. */
  total: bigint;
  /** Events replayed so far. */
  events: number;
}

export interface RebuildOptions {
  /** Events per transaction. Default 500. */
  batchSize?: number;
  /** Called before the first batch and after every batch. */
  onProgress?: (progress: RebuildProgress) => void;
}

export interface RebuildResult {
  events: number;
  /** Last position replayed; undefined for an empty log. */
  position: bigint | undefined;
}

/**
 * Drops every given read model with its checkpoint and stream revisions, recreates it empty and
 * replays the log up to its current head, reading the log once for all of them. Each batch commits
 * the read-model changes and checkpoints together, so an interrupted rebuild resumes live from where
 * it stopped. Events appended meanwhile are left to the runners, which continue from the checkpoints.
 *
 * Run it while no runner is following these read models (stop the workers): a runner that moves a
 * checkpoint during the replay makes the rebuild fail rather than interleave with it.
 */
export async function rebuildProjections(
  store: EventStore,
  db: ReadDb,
  projectors: readonly Projector[],
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  assertValidProjectors(projectors);
  const batchSize = options.batchSize ?? 500;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new Error(`invalid batch size ${options.batchSize}`);

  await db.transaction(async (tx) => {
    await ensureCheckpointTables(tx);
    for (const projector of projectors) await resetProjection(tx, projector);
  });

  const total = (await store.headPosition()) ?? 0n;
  const checkpoints = new Map<string, bigint | undefined>(projectors.map((p) => [p.name, undefined]));
  let events = 0;
  let position: bigint | undefined;
  options.onProgress?.({ done: 0n, total, events });
  if (projectors.length === 0) return { events, position };

  const replayBatch = async (batch: RecordedEvent[]): Promise<void> => {
    await db.transaction(async (tx) => {
      for (const projector of projectors) {
        const outcome = await applyBatch(tx, projector, batch, checkpoints.get(projector.name));
        if (outcome.kind === 'moved') {
          throw new Error(`read model ${projector.name} was changed by another writer during the rebuild (is a worker running projections?)`);
        }
      }
    });
    position = batch[batch.length - 1].position;
    for (const projector of projectors) checkpoints.set(projector.name, position);
    events += batch.length;
    options.onProgress?.({ done: position, total, events });
  };

  let batch: RecordedEvent[] = [];
  for await (const event of store.readAll()) {
    if (event.position > total) break;
    batch.push(event);
    if (batch.length >= batchSize) {
      await replayBatch(batch);
      batch = [];
    }
    if (event.position === total) break;
  }
  if (batch.length > 0) await replayBatch(batch);
  return { events, position };
}
