import type { DomainEvent } from '../shared/decider';

/**
 * A document counts against its owner's quota from the moment its slot is taken, before the
 * document's own stream is written: the slot stream is the consistency boundary that makes the
 * free-plan limit exact across API instances (appends to it carry the exact expected revision).
 * `takenAt` (the command's time) lets a slot whose document never came to be be reclaimed later.
 */
export type DocumentSlotTaken = DomainEvent<'DocumentSlotTaken', { ownerId: string; documentId: string; takenAt: string }>;

export type DocumentSlotFreed = DomainEvent<'DocumentSlotFreed', { ownerId: string; documentId: string }>;

export type DocumentQuotaEvent = DocumentSlotTaken | DocumentSlotFreed;

export const DOCUMENT_QUOTA_EVENT_TYPES = ['DocumentSlotTaken', 'DocumentSlotFreed'] as const satisfies readonly DocumentQuotaEvent['type'][];

export function isDocumentQuotaEvent(event: { type: string }): event is DocumentQuotaEvent {
  return (DOCUMENT_QUOTA_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** Stream `documentquota-<ownerId>`: one per owner ($by_category: `documentquota`). */
export function documentQuotaStreamName(ownerId: string): string {
  return `documentquota-${ownerId}`;
}
