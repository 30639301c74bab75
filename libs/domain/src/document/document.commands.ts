import type { ShareAccess } from './document.events';
import type { DomainCommand } from '../shared/decider';
import type { EncryptedValue } from '../shared/encrypted-value';

/** The owner's free-plan quota is decided first, on the owner's document quota stream (TakeDocumentSlot). */
export type CreateDocument = DomainCommand<'CreateDocument', { documentId: string; ownerId: string; title: EncryptedValue; body: EncryptedValue }>;

/** At least one of title and body. */
export type EditDocument = DomainCommand<
  'EditDocument',
  { documentId: string; actorId: string; title?: EncryptedValue; body?: EncryptedValue }
>;

export type DeleteDocument = DomainCommand<'DeleteDocument', { documentId: string; actorId: string }>;

export type ShareDocument = DomainCommand<
  'ShareDocument',
  { documentId: string; actorId: string; userId: string; access: ShareAccess }
>;

export type UnshareDocument = DomainCommand<'UnshareDocument', { documentId: string; actorId: string; userId: string }>;

export type DocumentCommand = CreateDocument | EditDocument | DeleteDocument | ShareDocument | UnshareDocument;
