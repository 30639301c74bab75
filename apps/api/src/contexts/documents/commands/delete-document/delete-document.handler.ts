import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideDocument } from '@ledgerline/domain';
import type { EventStore } from '@ledgerline/event-store';
import type { LedgerWriter } from '@ledgerline/ledger';
import { EVENT_STORE } from '../../../../platform/event-store/event-store.tokens';
import { LEDGER_WRITER } from '../../../../platform/ledger/ledger.tokens';
import { decideDocumentCommand } from '../decide-document-command';
import type { DocumentCommandResult } from '../document-command-result';
import { DeleteDocumentCommand } from './delete-document.command';

@CommandHandler(DeleteDocumentCommand)
export class DeleteDocumentHandler implements ICommandHandler<DeleteDocumentCommand, DocumentCommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
  ) {}

  async execute({ documentId, actorId, expectedRevision, context, metadata }: DeleteDocumentCommand): Promise<DocumentCommandResult> {
    return decideDocumentCommand({ store: this.store, writer: this.writer, documentId, context, expectedRevision }, (state) =>
      decideDocument({ type: 'DeleteDocument', data: { documentId, actorId }, metadata }, state),
    );
  }
}
