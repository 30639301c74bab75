import { Command } from '@nestjs/cqrs';
import type { CommandMetadata } from '@ledgerline/domain';
import type { CommandContext } from '@ledgerline/ledger';
import type { DocumentCommandResult } from '../document-command-result';

/** Remove `userId`'s access (owner only); nothing happens when they have none. */
export class UnshareDocumentCommand extends Command<DocumentCommandResult> {
  constructor(
    readonly documentId: string,
    readonly actorId: string,
    readonly userId: string,
    readonly context: CommandContext,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}
