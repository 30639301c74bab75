import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideAccess } from '@ledgerline/domain';
import { AccessCommandRunner, roleChange, type RoleChangeResult } from '../access-command.runner';
import { roleActorOf } from '../role-actor';
import { GrantRoleCommand } from './grant-role.command';

@CommandHandler(GrantRoleCommand)
export class GrantRoleHandler implements ICommandHandler<GrantRoleCommand, RoleChangeResult> {
  constructor(private readonly runner: AccessCommandRunner) {}

  async execute({ userId, role, context }: GrantRoleCommand): Promise<RoleChangeResult> {
    const now = new Date().toISOString();
    const result = await this.runner.run(
      (state) => decideAccess({ type: 'GrantRole', data: { userId, role, grantedBy: roleActorOf(context) }, metadata: { now } }, state),
      context,
    );
    return roleChange(userId, result);
  }
}
