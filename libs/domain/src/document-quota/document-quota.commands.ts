import type { DomainCommand } from '../shared/decider';

/**
 * The handler reads the owner's plan and passes it in, so the decider stays pure. It is needed only
 * at the free-plan limit (see documentQuotaNeedsPlan), so below it the handler need not look it up.
 */
export type TakeDocumentSlot = DomainCommand<'TakeDocumentSlot', { ownerId: string; documentId: string; ownerPlan?: 'free' | (string & {}) }>;

/** Frees a document's slot: the document was deleted, or its creation failed or never happened. */
export type FreeDocumentSlot = DomainCommand<'FreeDocumentSlot', { ownerId: string; documentId: string }>;

export type DocumentQuotaCommand = TakeDocumentSlot | FreeDocumentSlot;
