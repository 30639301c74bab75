import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@ledgerline/ledger';
import type { RoleChangeResult } from '../access-command.runner';

/** Grant `role` to `userId`; `role` is unchecked here because the decider rejects unknown roles. */
export class GrantRoleCommand extends Command<RoleChangeResult> {
  constructor(
    readonly userId: string,
    readonly role: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
