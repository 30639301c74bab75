import { Command } from '@nestjs/cqrs';
import type { CommandMetadata, ShareAccess } from '@ledgerline/domain';
import type { CommandContext } from '@ledgerline/ledger';
import type { DocumentCommandResult } from '../document-command-result';

/** Grant `userId` read or write access, or change the access already granted (owner only). */
export class ShareDocumentCommand extends Command<DocumentCommandResult> {
  constructor(
    readonly documentId: string,
    readonly actorId: string,
    readonly userId: string,
    readonly access: ShareAccess,
    readonly context: CommandContext,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}
