import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideDocument } from '@ledgerline/domain';
import type { EventStore } from '@ledgerline/event-store';
import type { LedgerWriter } from '@ledgerline/ledger';
import { EVENT_STORE } from '../../../../platform/event-store/event-store.tokens';
import { LEDGER_WRITER } from '../../../../platform/ledger/ledger.tokens';
import { DocumentSnapshots } from '../../read-models/document-snapshots';
import { decideDocumentCommand } from '../decide-document-command';
import type { DocumentCommandResult } from '../document-command-result';
import { ShareDocumentCommand } from './share-document.command';

@CommandHandler(ShareDocumentCommand)
export class ShareDocumentHandler implements ICommandHandler<ShareDocumentCommand, DocumentCommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
    private readonly snapshots: DocumentSnapshots,
  ) {}

  async execute({ documentId, actorId, userId, access, context, metadata }: ShareDocumentCommand): Promise<DocumentCommandResult> {
    return decideDocumentCommand({ store: this.store, writer: this.writer, snapshots: this.snapshots, documentId, context }, (state) =>
      decideDocument({ type: 'ShareDocument', data: { documentId, actorId, userId, access }, metadata }, state),
    );
  }
}
