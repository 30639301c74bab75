import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideDocument, documentDecider, documentStreamName } from '@ledgerline/domain';
import type { EventStore } from '@ledgerline/event-store';
import type { LedgerWriter } from '@ledgerline/ledger';
import { EVENT_STORE } from '../../../event-store/event-store.tokens';
import { LEDGER_WRITER } from '../../../ledger/ledger.tokens';
import { decideAndAppend } from '../../../commands/decide-and-append';
import type { DocumentCommandResult } from '../document-command-result';
import { ShareDocumentCommand } from './share-document.command';

@CommandHandler(ShareDocumentCommand)
export class ShareDocumentHandler implements ICommandHandler<ShareDocumentCommand, DocumentCommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
  ) {}

  async execute({ documentId, actorId, userId, access, context, metadata }: ShareDocumentCommand): Promise<DocumentCommandResult> {
    const result = await decideAndAppend({
      store: this.store,
      writer: this.writer,
      stream: documentStreamName(documentId),
      decider: documentDecider,
      context,
      decide: ({ state }) => decideDocument({ type: 'ShareDocument', data: { documentId, actorId, userId, access }, metadata }, state),
    });
    return { documentId, revision: result.revision as number, position: result.position as bigint };
  }
}
