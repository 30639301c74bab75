import { Query } from '@nestjs/cqrs';
import type { DocumentView } from '../../document.views';

/** One document, as `userId` may see it. */
export class GetDocumentQuery extends Query<DocumentView> {
  constructor(
    readonly documentId: string,
    readonly userId: string,
  ) {
    super();
  }
}
