import { Command } from '@nestjs/cqrs';
import type { CommandMetadata } from '@ledgerline/domain';
import type { CommandContext } from '@ledgerline/ledger';
import type { DocumentCommandResult } from '../document-command-result';

/** Create a document owned by `ownerId`; title and body are plaintext until the handler encrypts them. */
export class CreateDocumentCommand extends Command<DocumentCommandResult> {
  constructor(
    readonly documentId: string,
    readonly ownerId: string,
    readonly title: string,
    readonly body: string,
    readonly context: CommandContext,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}
