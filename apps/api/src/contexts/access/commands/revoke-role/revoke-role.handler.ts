import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideAccess } from '@ledgerline/domain';
import { AccessCommandRunner, roleChange, type RoleChangeResult } from '../access-command.runner';
import { roleActorOf } from '../role-actor';
import { RevokeRoleCommand } from './revoke-role.command';

@CommandHandler(RevokeRoleCommand)
export class RevokeRoleHandler implements ICommandHandler<RevokeRoleCommand, RoleChangeResult> {
  constructor(private readonly runner: AccessCommandRunner) {}

  async execute({ userId, role, context }: RevokeRoleCommand): Promise<RoleChangeResult> {
    const now = new Date().toISOString();
    const result = await this.runner.run(
      (state) => decideAccess({ type: 'RevokeRole', data: { userId, role, revokedBy: roleActorOf(context) }, metadata: { now } }, state),
      context,
    );
    return roleChange(userId, result);
  }
}
