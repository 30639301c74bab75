import { Command } from '@nestjs/cqrs';
import type { CommandMetadata } from '@ledgerline/domain';
import type { CommandContext } from '@ledgerline/ledger';
import type { DocumentCommandResult } from '../document-command-result';

/** Change the title and/or body (plaintext until the handler encrypts them for the owner). */
export class EditDocumentCommand extends Command<DocumentCommandResult> {
  constructor(
    readonly documentId: string,
    readonly actorId: string,
    readonly changes: { title?: string; body?: string },
    /** From If-Match; undefined when the client sent none. */
    readonly expectedRevision: number | undefined,
    readonly context: CommandContext,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}
