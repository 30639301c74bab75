import type { DomainEvent } from '@ledgerline/domain';
import type { JsonObject } from '@ledgerline/event-store';
import type { PendingEvent } from '@ledgerline/ledger';

/** Decided domain events as the ledger writer takes them (deciders build their data from JSON input only). */
export function pendingEvents(events: readonly DomainEvent[]): PendingEvent[] {
  return events.map((event) => ({ type: event.type, data: { ...event.data } as JsonObject }));
}
