import type { RecordedEvent } from '@ledgerline/event-store';
import type { RevealedAccess } from '../access-log/audit-access.events';
import type { ShownData } from '../reveal/field-revealer';

/** Which events of an answer had encrypted values shown in plaintext (for SensitiveDataAccessed). */
export class RevealedEvents {
  private readonly eventIds: string[] = [];
  private readonly streams = new Set<string>();
  private readonly erased: string[] = [];

  add(event: RecordedEvent, shown: ShownData): void {
    if (!shown.encrypted) return;
    this.eventIds.push(event.id);
    this.streams.add(event.stream);
    if (shown.erased) this.erased.push(event.id);
  }

  get count(): number {
    return this.eventIds.length;
  }

  /** The event data, or undefined when nothing encrypted was shown (no plaintext left the server). */
  record(route: string, reason: string): RevealedAccess | undefined {
    if (this.eventIds.length === 0) return undefined;
    return {
      route,
      reason,
      eventIds: [...this.eventIds],
      streams: [...this.streams],
      ...(this.erased.length > 0 ? { erasedEventIds: [...this.erased] } : {}),
    };
  }
}
