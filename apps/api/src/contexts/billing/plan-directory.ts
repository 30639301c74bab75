import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@ledgerline/config';
import { planOf } from '@ledgerline/domain';
import type { PlanDirectory } from '../accounts/plan-directory';
import { APP_CONFIG } from '../../platform/config/config.tokens';
import { BillingSubscriptions } from './read-models/billing-subscriptions.reader';

/**
 * The PlanDirectory of the app (GET /v1/me, the free-plan document quota): the plan STRIPE_PLANS
 * gives the price of the user's newest entitling subscription, else `free`. Entitlement is judged
 * now, so a past_due plan lapses at its period end without any further Stripe event.
 */
@Injectable()
export class BillingPlanDirectory implements PlanDirectory {
  constructor(
    private readonly subscriptions: BillingSubscriptions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async planOf(userId: string): Promise<string> {
    return planOf(await this.subscriptions.of(userId), this.config.stripePlans, Math.floor(Date.now() / 1000));
  }
}
