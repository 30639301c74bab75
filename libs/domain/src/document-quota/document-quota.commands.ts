import type { DomainCommand } from '../shared/decider';

/** The handler reads the owner's plan and passes it in, so the decider stays pure. */
export type TakeDocumentSlot = DomainCommand<'TakeDocumentSlot', { ownerId: string; documentId: string; ownerPlan: 'free' | (string & {}) }>;

/** Frees a document's slot: the document was deleted, or its creation failed or never happened. */
export type FreeDocumentSlot = DomainCommand<'FreeDocumentSlot', { ownerId: string; documentId: string }>;

export type DocumentQuotaCommand = TakeDocumentSlot | FreeDocumentSlot;
