import type { DomainEvent } from '../shared/decider';
import type { EncryptedValue } from '../shared/encrypted-value';

export type ShareAccess = 'read' | 'write';

export type DocumentCreated = DomainEvent<
  'DocumentCreated',
  { documentId: string; ownerId: string; title: EncryptedValue; body: EncryptedValue }
>;

/** Only the members that changed are present. */
export type DocumentEdited = DomainEvent<
  'DocumentEdited',
  { documentId: string; title?: EncryptedValue; body?: EncryptedValue }
>;

/** Carries the owner so a projection can keep the owner's live-document count without a lookup. */
export type DocumentDeleted = DomainEvent<'DocumentDeleted', { documentId: string; ownerId: string }>;

/** Grants access, or changes the access already granted to `userId`. */
export type DocumentShared = DomainEvent<'DocumentShared', { documentId: string; userId: string; access: ShareAccess }>;

export type DocumentUnshared = DomainEvent<'DocumentUnshared', { documentId: string; userId: string }>;

export type DocumentEvent = DocumentCreated | DocumentEdited | DocumentDeleted | DocumentShared | DocumentUnshared;

export const DOCUMENT_EVENT_TYPES = [
  'DocumentCreated',
  'DocumentEdited',
  'DocumentDeleted',
  'DocumentShared',
  'DocumentUnshared',
] as const satisfies readonly DocumentEvent['type'][];

/** Narrows a stored event by type only; the data is trusted as written by this decider. */
export function isDocumentEvent(event: { type: string }): event is DocumentEvent {
  return (DOCUMENT_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** Stream holding one document's events. */
export function documentStreamName(documentId: string): string {
  return `document-${documentId}`;
}
