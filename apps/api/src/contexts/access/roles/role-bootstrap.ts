import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ConfigError, type AppConfig } from '@ledgerline/config';
import { decideAccess, evolveAccess, type AccessEvent, type AccessState, type Role } from '@ledgerline/domain';
import type { CommandContext } from '@ledgerline/ledger';
import type winston from 'winston';
import { APP_CONFIG, LOGGER } from '../../../platform/config/config.tokens';
import { USER_ID_PATTERN } from '../authentication/session-claims';
import { AccessCommandRunner } from '../commands/access-command.runner';

export const BOOTSTRAP_ACTOR = { kind: 'system', id: 'bootstrap' } as const;

/**
 * Grants BOOTSTRAP_ADMINS and BOOTSTRAP_COMPLIANCE at start, as `system` events, through the domain
 * decider: a role already held emits nothing, so every restart (and every instance) is idempotent.
 */
@Injectable()
export class RoleBootstrap implements OnApplicationBootstrap {
  constructor(
    private readonly runner: AccessCommandRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: winston.Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const grants = bootstrapGrants(this.config);
    if (grants.length === 0) return;
    const both = this.config.bootstrapAdmins.filter((id) => this.config.bootstrapCompliance.includes(id));
    if (both.length > 0) {
      this.logger.warn('bootstrap: users listed as both admin and compliance are refused on audit routes (separation of duties)', {
        context: 'access',
        users: both,
      });
    }
    const context: CommandContext = { actor: { ...BOOTSTRAP_ACTOR }, correlationId: randomUUID(), causationId: randomUUID() };
    const now = new Date().toISOString();
    const result = await this.runner.run((initial) => {
      let state: AccessState = initial;
      const events: AccessEvent[] = [];
      for (const { userId, role } of grants) {
        const decided = decideAccess({ type: 'GrantRole', data: { userId, role, grantedBy: { ...BOOTSTRAP_ACTOR } }, metadata: { now } }, state);
        state = decided.reduce(evolveAccess, state);
        events.push(...decided);
      }
      return events;
    }, context);
    this.logger.info(`bootstrap roles: ${result.written} granted, ${grants.length - result.written} already held`, { context: 'access' });
  }
}

/** The configured grants, checked: an id no session token could carry would be a silent no-op. */
export function bootstrapGrants(config: Pick<AppConfig, 'bootstrapAdmins' | 'bootstrapCompliance'>): { userId: string; role: Role }[] {
  const lists: [string, Role, string[]][] = [
    ['BOOTSTRAP_ADMINS', 'admin', config.bootstrapAdmins],
    ['BOOTSTRAP_COMPLIANCE', 'compliance', config.bootstrapCompliance],
  ];
  return lists.flatMap(([variable, role, ids]) =>
    ids.map((userId) => {
      if (!USER_ID_PATTERN.test(userId)) throw new ConfigError(variable, 'must list user ids (letters, digits, _ and -, at most 64 characters)');
      return { userId, role };
    }),
  );
}
