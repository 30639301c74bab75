import { Inject, Injectable } from '@nestjs/common';
import type { EntitlementInput } from '@ledgerline/domain';
import type { ReadDb } from '@ledgerline/projections';
import { ProjectionProgress } from '../../../platform/projections/projection-progress';
import { READ_DB } from '../../../platform/projections/projections.tokens';
import { billingSubscriptionsProjector } from './billing-subscriptions.projector';

/** How long a read waits for the billing read model to include what the log already holds. */
const CATCH_UP_MS = 2_000;

/** One row of `billing_subscriptions`, in the shape the entitlement rules take (unix seconds). */
export interface SubscriptionRow extends EntitlementInput {
  priceId: string | null;
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
}

interface DbRow {
  subscription_id: string;
  status: string;
  price_id: string | null;
  created_at: string;
  current_period_end: string | null;
  cancel_at_period_end: unknown;
}

function unixFromIso(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** A user's subscriptions from the `billing-subscriptions` read model. */
@Injectable()
export class BillingSubscriptions {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly progress: ProjectionProgress,
  ) {}

  /**
   * The user's subscriptions once the read model has caught up with the log as it is now
   * (bounded wait): a webhook applied a moment ago already counts for the next request.
   */
  async of(userId: string): Promise<SubscriptionRow[]> {
    await this.progress.catchUp(CATCH_UP_MS, [billingSubscriptionsProjector.name]);
    const rows = await this.db.query<DbRow>(
      `SELECT subscription_id, status, price_id, created_at, current_period_end, cancel_at_period_end
       FROM billing_subscriptions WHERE user_id = $1 ORDER BY subscription_id`,
      [userId],
    );
    return rows.map((row) => ({
      subscriptionId: row.subscription_id,
      status: row.status,
      priceId: row.price_id,
      created: unixFromIso(row.created_at),
      currentPeriodEnd: row.current_period_end === null ? null : unixFromIso(row.current_period_end),
      cancelAtPeriodEnd: Number(row.cancel_at_period_end) === 1,
    }));
  }
}
