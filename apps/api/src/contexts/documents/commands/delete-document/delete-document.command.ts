import { Command } from '@nestjs/cqrs';
import type { CommandMetadata } from '@ledgerline/domain';
import type { CommandContext } from '@ledgerline/ledger';
import type { DocumentCommandResult } from '../document-command-result';

/** Delete a document (owner only). */
export class DeleteDocumentCommand extends Command<DocumentCommandResult> {
  constructor(
    readonly documentId: string,
    readonly actorId: string,
    /** From If-Match; undefined when the client sent none. */
    readonly expectedRevision: number | undefined,
    readonly context: CommandContext,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}
