import { Module, OnModuleInit } from '@nestjs/common';
import { ProblemDetailsFilter } from '../../platform/errors/problem-details.filter';
import { registerDomainErrorMapper } from '../../platform/errors/domain-error.mapper';
import { CreateDocumentHandler } from './commands/create-document/create-document.handler';
import { DeleteDocumentHandler } from './commands/delete-document/delete-document.handler';
import { EditDocumentHandler } from './commands/edit-document/edit-document.handler';
import { ShareDocumentHandler } from './commands/share-document/share-document.handler';
import { UnshareDocumentHandler } from './commands/unshare-document/unshare-document.handler';
import { mapPreconditionFailed } from '../../platform/commands/precondition-failed.error';
import { mapWriteContention } from '../../platform/commands/write-contention.error';
import { DocumentsController } from './documents.controller';
import { GetDocumentHandler } from './queries/get-document/get-document.handler';
import { ListDocumentsHandler } from './queries/list-documents/list-documents.handler';
import { DocumentQuotas } from './quota/document-quotas';
import { DocumentSnapshots } from './read-models/document-snapshots';
import { LegacyDocumentSlots } from './quota/legacy-document-slots';

/** Documents: CQRS commands over the document decider, queries over its stream and read models. */
@Module({
  controllers: [DocumentsController],
  providers: [
    CreateDocumentHandler,
    EditDocumentHandler,
    DeleteDocumentHandler,
    ShareDocumentHandler,
    UnshareDocumentHandler,
    GetDocumentHandler,
    ListDocumentsHandler,
    DocumentQuotas,
    LegacyDocumentSlots,
    DocumentSnapshots,
  ],
})
export class DocumentsModule implements OnModuleInit {
  constructor(private readonly filter: ProblemDetailsFilter) {}

  onModuleInit(): void {
    registerDomainErrorMapper(this.filter);
    this.filter.addMapper(mapPreconditionFailed);
    this.filter.addMapper(mapWriteContention);
  }
}
