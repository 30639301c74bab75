import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@ledgerline/ledger';
import type { RoleChangeResult } from '../access-command.runner';

/** Revoke `role` from `userId`; the decider keeps the last admin. */
export class RevokeRoleCommand extends Command<RoleChangeResult> {
  constructor(
    readonly userId: string,
    readonly role: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
