import { Query } from '@nestjs/cqrs';
import type { DocumentSummary, Page } from '../../document.views';

/** `userId`'s live documents and those shared with them, newest first. */
export class ListDocumentsQuery extends Query<Page<DocumentSummary>> {
  constructor(
    readonly userId: string,
    readonly limit: number,
    /** The position of the last document of the previous page (decoded from the opaque cursor). */
    readonly after: bigint | undefined,
  ) {
    super();
  }
}
