import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { documentAccess, documentDecider, documentStreamName, type DocumentAccess } from '@ledgerline/domain';
import type { FieldCipher } from '@ledgerline/crypto';
import type { EventStore } from '@ledgerline/event-store';
import { FIELD_CIPHER } from '../../../../platform/crypto/crypto.tokens';
import { EVENT_STORE } from '../../../../platform/event-store/event-store.tokens';
import { loadStream } from '../../../../platform/commands/loaded-stream';
import { visibleDocument } from '../../command-support/visible-document';
import type { DocumentView } from '../../document.views';
import { GetDocumentQuery } from './get-document.query';

/**
 * Folds the document's own stream instead of reading the read model: a single document is a short
 * stream, and its ETag must be the exact current revision, or a client's If-Match right after its
 * own write would fail against a lagging projection.
 */
@QueryHandler(GetDocumentQuery)
export class GetDocumentHandler implements IQueryHandler<GetDocumentQuery, DocumentView> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(FIELD_CIPHER) private readonly cipher: FieldCipher,
  ) {}

  async execute({ documentId, userId }: GetDocumentQuery): Promise<DocumentView> {
    const loaded = await loadStream(this.store, documentStreamName(documentId), documentDecider);
    const document = visibleDocument(loaded.state, userId);
    // visibleDocument has checked that the caller has some access.
    const access = documentAccess(document, userId) as DocumentAccess;
    const { value, erased } = await this.cipher.decryptDeep({ title: document.title, body: document.body });
    return {
      id: document.documentId,
      ownerId: document.ownerId,
      access,
      title: value.title,
      body: value.body,
      erased,
      // A live document has events, so these are all defined.
      revision: loaded.revision as number,
      createdAt: loaded.firstTime as string,
      updatedAt: loaded.lastTime as string,
      ...(access === 'owner' && { shares: [...document.shares].map(([id, level]) => ({ userId: id, access: level })) }),
    };
  }
}
