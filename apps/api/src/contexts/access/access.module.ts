import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { AppConfig } from '@ledgerline/config';
import type winston from 'winston';
import { APP_CONFIG, LOGGER } from '../../platform/config/config.tokens';
import { registerDomainErrorMapper } from '../../platform/errors/domain-error.mapper';
import { ProblemDetailsFilter } from '../../platform/errors/problem-details.filter';
import { SecurityEventsModule } from '../../platform/security-events/security-events.module';
import { AdminRolesController } from './admin/admin-roles.controller';
import { TokenVerifier } from './authentication/token-verifier';
import { verifierSettings } from './authentication/verifier-settings';
import { AccessGuard } from './authorization/access.guard';
import { AccessCommandRunner } from './commands/access-command.runner';
import { GrantRoleHandler } from './commands/grant-role/grant-role.handler';
import { RevokeRoleHandler } from './commands/revoke-role/revoke-role.handler';
import { RoleBootstrap } from './roles/role-bootstrap';
import { RoleDirectory } from './roles/role-directory';

/**
 * Authentication (Clerk or dev tokens), authorization (the global AccessGuard and `@Access`),
 * the role directory, bootstrap grants and the admin role routes.
 */
@Module({
  imports: [CqrsModule.forRoot(), SecurityEventsModule],
  controllers: [AdminRolesController],
  providers: [
    {
      provide: TokenVerifier,
      inject: [APP_CONFIG, LOGGER],
      useFactory: (config: AppConfig, logger: winston.Logger): TokenVerifier => new TokenVerifier(verifierSettings(config, logger)),
    },
    RoleDirectory,
    AccessCommandRunner,
    GrantRoleHandler,
    RevokeRoleHandler,
    RoleBootstrap,
    AccessGuard,
  ],
  exports: [RoleDirectory, SecurityEventsModule, AccessGuard],
})
export class AccessModule implements OnModuleInit {
  constructor(@Inject(ProblemDetailsFilter) private readonly filter: ProblemDetailsFilter) {}

  onModuleInit(): void {
    registerDomainErrorMapper(this.filter);
  }
}
