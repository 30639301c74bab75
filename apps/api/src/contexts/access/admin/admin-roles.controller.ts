import { Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import { CommandBus, type Command } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ConcurrencyError } from '@ledgerline/event-store';
import type { CommandContext } from '@ledgerline/ledger';
import { ProblemException, problem } from '../../../platform/errors/problem';
import { Access } from '../authorization/access.decorator';
import { CurrentCommandContext } from '../authorization/command-context';
import type { PrincipalRole } from '../authorization/principal';
import type { RoleChangeResult } from '../commands/access-command.runner';
import { GrantRoleCommand } from '../commands/grant-role/grant-role.command';
import { RevokeRoleCommand } from '../commands/revoke-role/revoke-role.command';
import { RoleDirectory } from '../roles/role-directory';
import { roleParam, userIdParam } from './role-route.params';

/** Header that carries a command's position where the answer has no body (204). */
export const POSITION_HEADER = 'x-position';

interface RolesBody {
  userId: string;
  roles: PrincipalRole[];
  /** Global position of the append, as a decimal string; absent when nothing changed. */
  position?: string;
}

/** Grant and revoke `admin` / `compliance` (SPEC §7.2): admins only, with a fresh second factor. */
@Controller('v1/admin/users/:userId/roles')
@Access({ roles: ['admin'], mfa: true })
export class AdminRolesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: RoleDirectory,
  ) {}

  @Get()
  async list(@Param('userId') userId: string): Promise<RolesBody> {
    const id = userIdParam(userId);
    return { userId: id, roles: await this.directory.rolesOf(id) };
  }

  @Put(':role')
  @HttpCode(200)
  async grant(
    @Param('userId') userId: string,
    @Param('role') role: string,
    @CurrentCommandContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RolesBody> {
    const result = await this.execute(new GrantRoleCommand(userIdParam(userId), roleParam(role), context), reply);
    return { userId: result.userId, roles: result.roles, ...(result.position !== undefined ? { position: String(result.position) } : {}) };
  }

  @Delete(':role')
  @HttpCode(204)
  async revoke(
    @Param('userId') userId: string,
    @Param('role') role: string,
    @CurrentCommandContext() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.execute(new RevokeRoleCommand(userIdParam(userId), roleParam(role), context), reply);
  }

  private async execute(command: Command<RoleChangeResult>, reply: FastifyReply): Promise<RoleChangeResult> {
    let result: RoleChangeResult;
    try {
      result = await this.commands.execute(command);
    } catch (error) {
      if (error instanceof ConcurrencyError) {
        throw new ProblemException(problem(409, { type: 'concurrent-update', detail: 'roles were changed concurrently; retry' }));
      }
      throw error;
    }
    if (result.position !== undefined) void reply.header(POSITION_HEADER, String(result.position));
    return result;
  }
}
