import type { RecordedEvent } from '@ledgerline/event-store';

/**
 * The event's time from its sealed envelope (`metadata.time`), so a rebuilt read model holds
 * exactly the times the first build did. Events without one are refused: they were not sealed.
 */
export function eventTime(event: RecordedEvent): string {
  const time = event.metadata.time;
  if (typeof time !== 'string') throw new Error(`event ${event.id} carries no envelope time`);
  return time;
}
