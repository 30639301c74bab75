import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { AppConfig } from '@ledgerline/config';
import { currentSubscription, planOf } from '@ledgerline/domain';
import { APP_CONFIG } from '../../../../platform/config/config.tokens';
import { isoFromUnix } from '../../read-models/billing-subscriptions.projector';
import { BillingSubscriptions } from '../../read-models/billing-subscriptions.reader';
import { GetSubscriptionQuery, type SubscriptionView } from './get-subscription.query';

@QueryHandler(GetSubscriptionQuery)
export class GetSubscriptionHandler implements IQueryHandler<GetSubscriptionQuery, SubscriptionView> {
  constructor(
    private readonly subscriptions: BillingSubscriptions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ userId }: GetSubscriptionQuery): Promise<SubscriptionView> {
    const rows = await this.subscriptions.of(userId);
    const now = Math.floor(Date.now() / 1000);
    const current = currentSubscription(rows, now);
    return {
      plan: planOf(rows, this.config.stripePlans, now),
      status: current?.status ?? null,
      currentPeriodEnd: isoFromUnix(current?.currentPeriodEnd ?? null),
      cancelAtPeriodEnd: current?.cancelAtPeriodEnd ?? false,
      subscriptionId: current?.subscriptionId ?? null,
      priceId: current?.priceId ?? null,
    };
  }
}
