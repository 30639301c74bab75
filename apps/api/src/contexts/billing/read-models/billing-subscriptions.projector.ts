import type { RecordedEvent } from '@ledgerline/event-store';
import { isSubscriptionEvent, type SubscriptionEvent } from '@ledgerline/domain';
import type { Projector, ReadTx } from '@ledgerline/projections';
import { eventTime } from '../../../platform/projections/event-time';

/** Stripe's unix seconds as the read models keep times (ISO-8601 text, which sorts). */
export function isoFromUnix(seconds: number | null): string | null {
  return seconds === null ? null : new Date(seconds * 1000).toISOString();
}

/**
 * Read model `billing-subscriptions`: each user's Stripe subscriptions, one row per subscription,
 * as the newest state the billing decider accepted. The decider only emits newer states, so the
 * stream order is the state order and a plain upsert is right.
 */
export const billingSubscriptionsProjector: Projector = {
  name: 'billing-subscriptions',
  version: 1,
  async migrate(tx: ReadTx): Promise<void> {
    await tx.exec(`CREATE TABLE IF NOT EXISTS billing_subscriptions (
      subscription_id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      customer_id TEXT NOT NULL,
      status TEXT NOT NULL,
      price_id TEXT,
      created_at TEXT NOT NULL,
      current_period_start TEXT,
      current_period_end TEXT,
      cancel_at_period_end INTEGER NOT NULL,
      ended_at TEXT,
      updated_at TEXT NOT NULL
    )`);
    await tx.exec('CREATE INDEX IF NOT EXISTS billing_subscriptions_by_user ON billing_subscriptions (user_id)');
  },
  async drop(tx: ReadTx): Promise<void> {
    await tx.exec('DROP TABLE IF EXISTS billing_subscriptions');
  },
  handles: (type) => isSubscriptionEvent({ type }),
  async apply(recorded: RecordedEvent, tx: ReadTx): Promise<void> {
    const { userId, subscription: s } = (recorded as unknown as SubscriptionEvent).data;
    await tx.query(
      `INSERT INTO billing_subscriptions
         (subscription_id, user_id, customer_id, status, price_id, created_at, current_period_start, current_period_end, cancel_at_period_end, ended_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (subscription_id) DO UPDATE SET
         user_id = excluded.user_id, customer_id = excluded.customer_id, status = excluded.status, price_id = excluded.price_id,
         created_at = excluded.created_at, current_period_start = excluded.current_period_start,
         current_period_end = excluded.current_period_end, cancel_at_period_end = excluded.cancel_at_period_end,
         ended_at = excluded.ended_at, updated_at = excluded.updated_at`,
      [
        s.subscriptionId,
        userId,
        s.customerId,
        s.status,
        s.priceId,
        isoFromUnix(s.created),
        isoFromUnix(s.currentPeriodStart),
        isoFromUnix(s.currentPeriodEnd),
        s.cancelAtPeriodEnd,
        isoFromUnix(s.endedAt),
        eventTime(recorded),
      ],
    );
  },
};
