import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { AppConfig } from '@ledgerline/config';
import { hasFreshSecondFactor } from '../../../access/authorization/access-requirements';
import { APP_CONFIG } from '../../../../platform/config/config.tokens';
import type { MeView } from '../../account.views';
import { PLAN_DIRECTORY, type PlanDirectory } from '../../plan-directory';
import { GetMeQuery } from './get-me.query';

@QueryHandler(GetMeQuery)
export class GetMeHandler implements IQueryHandler<GetMeQuery, MeView> {
  constructor(
    @Inject(PLAN_DIRECTORY) private readonly plans: PlanDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ principal }: GetMeQuery): Promise<MeView> {
    return {
      id: principal.userId,
      roles: [...principal.roles],
      plan: await this.plans.planOf(principal.userId),
      mfa: {
        verified: principal.secondFactorAgeMinutes !== null,
        ageMinutes: principal.secondFactorAgeMinutes,
        fresh: hasFreshSecondFactor(principal, this.config.mfaMaxAgeMinutes),
      },
    };
  }
}
