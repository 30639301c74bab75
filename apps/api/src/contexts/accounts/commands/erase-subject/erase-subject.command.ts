import { Command } from '@nestjs/cqrs';
import type { CommandMetadata } from '@ledgerline/domain';
import type { CommandContext } from '@ledgerline/ledger';

export interface EraseSubjectResult {
  position: bigint;
}

/** Right to erasure (SPEC §6): shred the subject's data key and record SubjectErased. */
export class EraseSubjectCommand extends Command<EraseSubjectResult> {
  constructor(
    readonly userId: string,
    readonly context: CommandContext,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}
