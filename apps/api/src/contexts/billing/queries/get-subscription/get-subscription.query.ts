import { Query } from '@nestjs/cqrs';

/** GET /v1/billing/subscription: the plan the caller is on and the subscription behind it. */
export interface SubscriptionView {
  /** `free`, or the STRIPE_PLANS name of the price the caller is entitled to now. */
  plan: string;
  /** Stripe status of the current subscription; null without any subscription. */
  status: string | null;
  /** End of the period paid for (RFC 3339), null without a subscription. */
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  subscriptionId: string | null;
  priceId: string | null;
}

export class GetSubscriptionQuery extends Query<SubscriptionView> {
  constructor(readonly userId: string) {
    super();
  }
}
