import type { SubscriptionSnapshot } from './billing.events';

/** What entitlement needs to know of a subscription. */
export type EntitlementInput = Pick<SubscriptionSnapshot, 'subscriptionId' | 'status' | 'created' | 'currentPeriodEnd'>;

/** Plan name of a user without an entitling paid subscription. */
export const FREE_PLAN = 'free';

/**
 * True while the subscription grants its paid plan: `active` and `trialing` always; `past_due` and
 * `unpaid` until the end of the period already paid for (Stripe keeps retrying meanwhile); any
 * other status (canceled, incomplete, incomplete_expired, paused, unknown) never.
 */
export function isEntitling(subscription: Pick<EntitlementInput, 'status' | 'currentPeriodEnd'>, nowSeconds: number): boolean {
  switch (subscription.status) {
    case 'active':
    case 'trialing':
      return true;
    case 'past_due':
    case 'unpaid':
      return subscription.currentPeriodEnd !== null && nowSeconds < subscription.currentPeriodEnd;
    default:
      return false;
  }
}

function isNewer(a: EntitlementInput, b: EntitlementInput): boolean {
  return a.created > b.created || (a.created === b.created && a.subscriptionId > b.subscriptionId);
}

/**
 * The subscription that speaks for the user: the newest entitling one, else the newest one
 * (by `created`, then id, so the choice is stable). Undefined when there is none.
 */
export function currentSubscription<S extends EntitlementInput>(subscriptions: Iterable<S>, nowSeconds: number): S | undefined {
  let best: S | undefined;
  let bestEntitles = false;
  for (const candidate of subscriptions) {
    const entitles = isEntitling(candidate, nowSeconds);
    if (best === undefined || (entitles && !bestEntitles) || (entitles === bestEntitles && isNewer(candidate, best))) {
      best = candidate;
      bestEntitles = entitles;
    }
  }
  return best;
}

/**
 * The plan a user is on: the plan of their newest entitling subscription whose price `plans` names
 * (Stripe price id → plan name), else `free`. A price missing from `plans` grants nothing: the
 * operator has not said what it buys.
 */
export function planOf(
  subscriptions: Iterable<EntitlementInput & Pick<SubscriptionSnapshot, 'priceId'>>,
  plans: Readonly<Record<string, string>>,
  nowSeconds: number,
): string {
  let best: (EntitlementInput & { priceId: string }) | undefined;
  for (const candidate of subscriptions) {
    const { priceId } = candidate;
    if (priceId === null || !Object.hasOwn(plans, priceId) || !isEntitling(candidate, nowSeconds)) continue;
    if (best === undefined || isNewer(candidate, best)) best = { ...candidate, priceId };
  }
  return best === undefined ? FREE_PLAN : plans[best.priceId];
}
