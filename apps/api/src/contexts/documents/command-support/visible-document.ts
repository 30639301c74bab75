import { documentAccess, DomainError, type DocumentState, type LiveDocumentState } from '@ledgerline/domain';

/**
 * The live document when `userId` may see it; otherwise the decider's own not-found, so a caller
 * learns nothing about documents they cannot see. Handlers need the owner before deciding (the
 * owner's key encrypts the content); the decider checks the same rule again.
 */
export function visibleDocument(state: DocumentState, userId: string): LiveDocumentState {
  if (state.status !== 'live' || documentAccess(state, userId) === null) {
    throw new DomainError('document-not-found', 'document not found');
  }
  return state;
}
