import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DocumentAccess, EncryptedValue } from '@ledgerline/domain';
import type { FieldCipher } from '@ledgerline/crypto';
import { toBigInt, type ReadDb } from '@ledgerline/projections';
import { FIELD_CIPHER } from '../../../../platform/crypto/crypto.tokens';
import { READ_DB } from '../../../../platform/projections/projections.tokens';
import type { DocumentSummary, Page } from '../../document.views';
import { encodeDocumentCursor } from './document-cursor';
import { ListDocumentsQuery } from './list-documents.query';

interface Row {
  id: string;
  owner_id: string;
  title: string;
  revision: unknown;
  created_at: string;
  updated_at: string;
  created_position: unknown;
  access: string | null;
}

const COLUMNS = 'd.id, d.owner_id, d.title, d.revision, d.created_at, d.updated_at, d.created_position, s.access';
const FROM = `FROM documents d LEFT JOIN document_shares s ON s.document_id = d.id AND s.user_id = $1
  WHERE d.deleted = 0 AND (d.owner_id = $1 OR s.user_id IS NOT NULL)`;

/** Reads the `documents` and `document-shares` read models (eventually consistent; see X-Consistent-After). */
@QueryHandler(ListDocumentsQuery)
export class ListDocumentsHandler implements IQueryHandler<ListDocumentsQuery, Page<DocumentSummary>> {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(FIELD_CIPHER) private readonly cipher: FieldCipher,
  ) {}

  async execute({ userId, limit, after }: ListDocumentsQuery): Promise<Page<DocumentSummary>> {
    // One row more than asked tells whether another page exists.
    const rows =
      after === undefined
        ? await this.db.query<Row>(`SELECT ${COLUMNS} ${FROM} ORDER BY d.created_position DESC LIMIT $2`, [userId, limit + 1])
        : await this.db.query<Row>(`SELECT ${COLUMNS} ${FROM} AND d.created_position < $3 ORDER BY d.created_position DESC LIMIT $2`, [
            userId,
            limit + 1,
            after,
          ]);
    const page = rows.slice(0, limit);
    const items = await Promise.all(page.map((row) => this.summary(row, userId)));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeDocumentCursor(toBigInt(last.created_position)) : null };
  }

  private async summary(row: Row, userId: string): Promise<DocumentSummary> {
    const decrypted = await this.cipher.decrypt(JSON.parse(row.title) as EncryptedValue);
    const access: DocumentAccess = row.owner_id === userId ? 'owner' : (row.access as DocumentAccess);
    return {
      id: row.id,
      ownerId: row.owner_id,
      access,
      title: 'value' in decrypted ? decrypted.value : null,
      erased: 'erased' in decrypted,
      revision: Number(row.revision),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
