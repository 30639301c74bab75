import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideDocument } from '@ledgerline/domain';
import type { EventStore } from '@ledgerline/event-store';
import type { LedgerWriter } from '@ledgerline/ledger';
import { EVENT_STORE } from '../../../../platform/event-store/event-store.tokens';
import { LEDGER_WRITER } from '../../../../platform/ledger/ledger.tokens';
import { DocumentQuotas } from '../../quota/document-quotas';
import { DocumentSnapshots } from '../../read-models/document-snapshots';
import { decideDocumentCommand } from '../decide-document-command';
import type { DocumentCommandResult } from '../document-command-result';
import { DeleteDocumentCommand } from './delete-document.command';

@CommandHandler(DeleteDocumentCommand)
export class DeleteDocumentHandler implements ICommandHandler<DeleteDocumentCommand, DocumentCommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
    private readonly snapshots: DocumentSnapshots,
    private readonly quotas: DocumentQuotas,
  ) {}

  async execute({ documentId, actorId, expectedRevision, context, metadata }: DeleteDocumentCommand): Promise<DocumentCommandResult> {
    let ownerId: string | undefined;
    const result = await decideDocumentCommand({ store: this.store, writer: this.writer, snapshots: this.snapshots, documentId, context, expectedRevision }, (state) => {
      const events = decideDocument({ type: 'DeleteDocument', data: { documentId, actorId }, metadata }, state);
      if (state.status === 'live') ownerId = state.ownerId;
      return events;
    });
    // The deleted document's slot is free again. Should this fail, the next create at the limit reclaims it.
    if (ownerId !== undefined) await this.quotas.free(ownerId, documentId, context, metadata);
    return result;
  }
}
