import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import type { JsonObject, RecordedEvent } from '../event-store.port';
import { isUnknownPosition, toPortPosition } from './esdb-position';

/** EventStoreDB's own events: `$`-typed (stats, settings, links) or in `$`-streams (projection state, metadata). */
export function isSystemEvent(event: { type: string; streamId: string }): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

function jsonObject(value: unknown): JsonObject {
  // Only an event this adapter did not write can hold anything else (binary or a JSON array): it reads as {}.
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) ? (value as JsonObject) : {};
}

/** The event's place in the global log; throws when the server sent none (servers before 22.6 on stream reads). */
export function portPositionOf(event: EsdbRecordedEvent): bigint {
  if (isUnknownPosition(event.position)) {
    throw new Error(
      `EventStoreDB sent no $all position for ${event.streamId}@${event.revision}: stream reads carry it from server version 22.6 on`,
    );
  }
  return toPortPosition(event.position!);
}

/** The port's view of a stored event. */
export function toRecordedEvent(event: EsdbRecordedEvent, position = portPositionOf(event)): RecordedEvent {
  const revision = Number(event.revision);
  if (!Number.isSafeInteger(revision)) throw new RangeError(`stream revision ${event.revision} of ${event.streamId} exceeds 2^53`);
  return {
    id: event.id,
    type: event.type,
    stream: event.streamId,
    revision,
    position,
    data: jsonObject(event.data),
    metadata: jsonObject(event.metadata),
  };
}
