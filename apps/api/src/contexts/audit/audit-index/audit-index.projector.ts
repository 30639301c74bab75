import type { RecordedEvent } from '@ledgerline/event-store';
import type { Projector, ReadTx } from '@ledgerline/projections';

/** Name of the read model (and of its checkpoint). */
export const AUDIT_INDEX = 'audit-index';

/**
 * Read model `audit-index` (table `audit_events`): one row per sealed event (metadata `v: 1`), with
 * what the audit filters need — stream, type, actor id, envelope time — keyed by global position.
 *
 * Two extra columns make time ranges exact *and* bounded although envelope times are only nearly
 * ordered by position (writers' clocks differ a little): `max_time` is the running maximum of `time`
 * up to this position and `min_time_after` the minimum of `time` from this position on (over what is
 * indexed). Both never decrease with position, so an index seek on each turns `from`/`to` into a
 * position range that holds every event of the time range; the exact time test is then applied inside it.
 *
 * Leaf indexes are not stored here: queries join the notary's `merkle_leaves` by event id, so an
 * answer shows the tree's own leaf index, or null while the tree has not taken the event in yet.
 */
export const auditIndexProjector: Projector = {
  name: AUDIT_INDEX,
  version: 1,
  async migrate(tx: ReadTx): Promise<void> {
    await tx.exec(`CREATE TABLE IF NOT EXISTS audit_events (
      position BIGINT PRIMARY KEY,
      event_id TEXT NOT NULL UNIQUE,
      stream TEXT NOT NULL,
      revision INTEGER NOT NULL,
      type TEXT NOT NULL,
      time TEXT NOT NULL,
      actor_kind TEXT NOT NULL,
      actor_id TEXT NOT NULL,
      max_time TEXT NOT NULL,
      min_time_after TEXT NOT NULL
    )`);
    await tx.exec('CREATE INDEX IF NOT EXISTS audit_events_by_stream ON audit_events (stream, position)');
    await tx.exec('CREATE INDEX IF NOT EXISTS audit_events_by_type ON audit_events (type, position)');
    await tx.exec('CREATE INDEX IF NOT EXISTS audit_events_by_actor ON audit_events (actor_id, position)');
    await tx.exec('CREATE INDEX IF NOT EXISTS audit_events_by_max_time ON audit_events (max_time, position)');
    await tx.exec('CREATE INDEX IF NOT EXISTS audit_events_by_min_time_after ON audit_events (min_time_after, position)');
  },
  async drop(tx: ReadTx): Promise<void> {
    await tx.exec('DROP TABLE IF EXISTS audit_events');
  },
  apply(event: RecordedEvent, tx: ReadTx): Promise<void> {
    return applyAuditRows([event], tx);
  },
  applyAll: applyAuditRows,
};

/**
 * One row per sealed event of the batch. The running maximum continues the last stored row's (one
 * primary-key seek per batch); the batch's own rows get the minimum of the times from theirs on, and
 * the rows stored before it are lowered to the batch's earliest time (normally no row: times arrive in
 * order; after a clock step back it lowers the tail once).
 */
async function applyAuditRows(events: readonly RecordedEvent[], tx: ReadTx): Promise<void> {
  const rows = events.flatMap((event) => {
    const row = indexRow(event);
    return row === undefined ? [] : [{ event, ...row }];
  });
  if (rows.length === 0) return;
  const [last] = await tx.query<{ max_time: string }>('SELECT max_time FROM audit_events ORDER BY position DESC LIMIT 1');
  let maxTime = last?.max_time;
  const maxTimes = rows.map(({ time }) => (maxTime = maxTime !== undefined && maxTime > time ? maxTime : time));
  const minTimesAfter = new Array<string>(rows.length);
  for (let i = rows.length - 1, min = rows[i].time; i >= 0; i--) minTimesAfter[i] = min = rows[i].time < min ? rows[i].time : min;
  await tx.query('UPDATE audit_events SET min_time_after = $1 WHERE min_time_after > $1', [minTimesAfter[0]]);
  for (const [i, { event, time, actorKind, actorId }] of rows.entries()) {
    await tx.query(
      `INSERT INTO audit_events (position, event_id, stream, revision, type, time, actor_kind, actor_id, max_time, min_time_after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (position) DO NOTHING`,
      [event.position, event.id, event.stream, event.revision, event.type, time, actorKind, actorId, maxTimes[i], minTimesAfter[i]],
    );
  }
}

interface IndexRow {
  time: string;
  actorKind: string;
  actorId: string;
}

/**
 * What the index keeps of an event, or undefined for an event without an envelope. A sealed event
 * with a malformed time or actor is still indexed (with what it has), so an audit can find it.
 */
function indexRow(event: RecordedEvent): IndexRow | undefined {
  const metadata = event.metadata as { v?: unknown; time?: unknown; actor?: { kind?: unknown; id?: unknown } } | null;
  if (typeof metadata !== 'object' || metadata === null || metadata.v !== 1) return undefined;
  const actor = typeof metadata.actor === 'object' && metadata.actor !== null ? metadata.actor : {};
  return {
    time: typeof metadata.time === 'string' ? metadata.time : '',
    actorKind: typeof actor.kind === 'string' ? actor.kind : '',
    actorId: typeof actor.id === 'string' ? actor.id : '',
  };
}
