import type {
  CreateDocument,
  DeleteDocument,
  DocumentCommand,
  EditDocument,
  ShareDocument,
  UnshareDocument,
} from './document.commands';
import type { DocumentEdited, DocumentEvent, ShareAccess } from './document.events';
import { assertEncrypted, assertId, copyEncrypted } from '../shared/command-checks';
import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import type { EncryptedValue } from '../shared/encrypted-value';

/** Documents a user on the free plan may keep alive at once (enforced by the document quota stream). */
export const FREE_PLAN_DOCUMENT_LIMIT = 10;

export type DocumentState =
  | { status: 'absent' }
  | {
      status: 'live';
      documentId: string;
      ownerId: string;
      title: EncryptedValue;
      body: EncryptedValue;
      /** userId → access; a Map because user ids are untrusted keys (e.g. "__proto__"). */
      shares: ReadonlyMap<string, ShareAccess>;
    }
  | { status: 'deleted'; documentId: string; ownerId: string };

export type LiveDocumentState = Extract<DocumentState, { status: 'live' }>;
export type DocumentAccess = 'owner' | ShareAccess;

/** A document before its first event. */
export function initialDocumentState(): DocumentState {
  return { status: 'absent' };
}

/** What `userId` may do with the document: null when it is absent, deleted or not shared with them. */
export function documentAccess(state: DocumentState, userId: string): DocumentAccess | null {
  if (state.status !== 'live') return null;
  if (state.ownerId === userId) return 'owner';
  return state.shares.get(userId) ?? null;
}

/** Applies one stored document event. */
export function evolveDocument(state: DocumentState, event: DocumentEvent): DocumentState {
  switch (event.type) {
    case 'DocumentCreated': {
      const { documentId, ownerId, title, body } = event.data;
      return { status: 'live', documentId, ownerId, title, body, shares: new Map() };
    }
    case 'DocumentEdited': {
      if (state.status !== 'live') return state;
      const { title, body } = event.data;
      return { ...state, ...(title !== undefined && { title }), ...(body !== undefined && { body }) };
    }
    case 'DocumentDeleted':
      if (state.status !== 'live') return state;
      return { status: 'deleted', documentId: state.documentId, ownerId: state.ownerId };
    case 'DocumentShared': {
      if (state.status !== 'live') return state;
      const shares = new Map(state.shares);
      shares.set(event.data.userId, event.data.access);
      return { ...state, shares };
    }
    case 'DocumentUnshared': {
      if (state.status !== 'live') return state;
      const shares = new Map(state.shares);
      shares.delete(event.data.userId);
      return { ...state, shares };
    }
    default: {
      const unknown: never = event;
      // Tolerant reader: an event type this version does not know leaves the state unchanged.
      void unknown;
      return state;
    }
  }
}

/** Decides a document command; throws a DomainError when the command is refused. */
export function decideDocument(command: DocumentCommand, state: DocumentState): DocumentEvent[] {
  switch (command.type) {
    case 'CreateDocument':
      return createDocument(command, state);
    case 'EditDocument':
      return editDocument(command, state);
    case 'DeleteDocument':
      return deleteDocument(command, state);
    case 'ShareDocument':
      return shareDocument(command, state);
    case 'UnshareDocument':
      return unshareDocument(command, state);
    default: {
      const unknown: never = command;
      void unknown;
      throw new DomainError('unknown-command', 'unknown document command');
    }
  }
}

function createDocument(command: CreateDocument, state: DocumentState): DocumentEvent[] {
  const { documentId, ownerId, title, body } = command.data;
  assertId(documentId, 'documentId');
  assertId(ownerId, 'ownerId');
  assertEncrypted(title, 'title');
  assertEncrypted(body, 'body');
  // A deleted document keeps its stream, so its id is never reused.
  if (state.status !== 'absent') throw new DomainError('document-exists', 'the document already exists');
  return [
    {
      type: 'DocumentCreated',
      data: { documentId, ownerId, title: copyEncrypted(title), body: copyEncrypted(body) },
    },
  ];
}

function editDocument(command: EditDocument, state: DocumentState): DocumentEvent[] {
  const { documentId, actorId, title, body } = command.data;
  assertId(documentId, 'documentId');
  assertId(actorId, 'actorId');
  if (title === undefined && body === undefined) throw new DomainError('empty-update', 'give a title or a body');
  if (title !== undefined) assertEncrypted(title, 'title');
  if (body !== undefined) assertEncrypted(body, 'body');
  const live = visibleTo(state, documentId, actorId);
  if (documentAccess(live, actorId) === 'read') {
    throw new DomainError('document-read-only', 'the document is shared read-only');
  }
  const data: DocumentEdited['data'] = { documentId };
  if (title !== undefined) data.title = copyEncrypted(title);
  if (body !== undefined) data.body = copyEncrypted(body);
  return [{ type: 'DocumentEdited', data }];
}

function deleteDocument(command: DeleteDocument, state: DocumentState): DocumentEvent[] {
  const { documentId, actorId } = command.data;
  assertId(documentId, 'documentId');
  assertId(actorId, 'actorId');
  const live = ownedBy(state, documentId, actorId);
  return [{ type: 'DocumentDeleted', data: { documentId, ownerId: live.ownerId } }];
}

function shareDocument(command: ShareDocument, state: DocumentState): DocumentEvent[] {
  const { documentId, actorId, userId, access } = command.data;
  assertId(documentId, 'documentId');
  assertId(actorId, 'actorId');
  assertId(userId, 'userId');
  if (access !== 'read' && access !== 'write') throw new DomainError('invalid-access', 'access must be read or write');
  const live = ownedBy(state, documentId, actorId);
  if (userId === live.ownerId) throw new DomainError('cannot-share-with-owner', 'the owner already has full access');
  if (live.shares.get(userId) === access) return [];
  return [{ type: 'DocumentShared', data: { documentId, userId, access } }];
}

function unshareDocument(command: UnshareDocument, state: DocumentState): DocumentEvent[] {
  const { documentId, actorId, userId } = command.data;
  assertId(documentId, 'documentId');
  assertId(actorId, 'actorId');
  assertId(userId, 'userId');
  const live = ownedBy(state, documentId, actorId);
  if (userId === live.ownerId) throw new DomainError('cannot-share-with-owner', 'the owner is never a share');
  if (!live.shares.has(userId)) return [];
  return [{ type: 'DocumentUnshared', data: { documentId, userId } }];
}

/** The live document if `actorId` may see it; otherwise not-found, so existence is never revealed. */
function visibleTo(state: DocumentState, documentId: string, actorId: string): LiveDocumentState {
  if (state.status !== 'live' || documentAccess(state, actorId) === null) {
    throw new DomainError('document-not-found', 'document not found');
  }
  if (state.documentId !== documentId) throw new DomainError('stream-mismatch', 'the command is for another document');
  return state;
}

/** Owner-only operations: strangers get not-found, people it is shared with get forbidden. */
function ownedBy(state: DocumentState, documentId: string, actorId: string): LiveDocumentState {
  const live = visibleTo(state, documentId, actorId);
  if (live.ownerId !== actorId) throw new DomainError('owner-only', 'only the owner may do this');
  return live;
}

/** The document decider: stream `document-<documentId>`. */
export const documentDecider: Decider<DocumentState, DocumentCommand, DocumentEvent> = {
  decide: decideDocument,
  evolve: evolveDocument,
  initialState: initialDocumentState,
};
