import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { documentAccess, type DocumentAccess } from '@ledgerline/domain';
import type { FieldCipher } from '@ledgerline/crypto';
import { FIELD_CIPHER } from '../../../../platform/crypto/crypto.tokens';
import { visibleDocument } from '../../command-support/visible-document';
import { DocumentSnapshots } from '../../read-models/document-snapshots';
import type { DocumentView } from '../../document.views';
import { GetDocumentQuery } from './get-document.query';

/**
 * Reads the document's snapshot (its `documents` row) and folds the events of its own stream after it:
 * bounded by the projection's lag, not the document's history, and the ETag is the exact current
 * revision, so a client's If-Match right after its own write never fails against a lagging projection.
 */
@QueryHandler(GetDocumentQuery)
export class GetDocumentHandler implements IQueryHandler<GetDocumentQuery, DocumentView> {
  constructor(
    private readonly snapshots: DocumentSnapshots,
    @Inject(FIELD_CIPHER) private readonly cipher: FieldCipher,
  ) {}

  async execute({ documentId, userId }: GetDocumentQuery): Promise<DocumentView> {
    const loaded = await this.snapshots.load(documentId);
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
