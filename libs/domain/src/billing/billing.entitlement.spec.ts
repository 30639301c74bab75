import { currentSubscription, FREE_PLAN, isEntitling, planOf, type EntitlementInput } from './billing.entitlement';

const NOW = 1_790_000_000;
const PLANS = { price_pro: 'pro', price_team: 'team' };
const sub = (overrides: Partial<EntitlementInput & { priceId: string | null }> = {}) => ({
  subscriptionId: 'sub_1',
  status: 'active',
  created: NOW - 1000,
  currentPeriodEnd: NOW + 1000,
  priceId: 'price_pro' as string | null,
  ...overrides,
});

describe('billing entitlement', () => {
  it.each([
    ['active', NOW + 10, true],
    ['active', NOW - 10, true],
    ['trialing', NOW + 10, true],
    ['past_due', NOW + 10, true],
    ['past_due', NOW - 10, false],
    ['unpaid', NOW + 10, true],
    ['unpaid', NOW, false],
    ['canceled', NOW + 10, false],
    ['incomplete', NOW + 10, false],
    ['incomplete_expired', NOW + 10, false],
    ['paused', NOW + 10, false],
    ['some_future_status', NOW + 10, false],
  ])('%s with period end %d entitles: %s', (status, currentPeriodEnd, expected) => {
    expect(isEntitling({ status, currentPeriodEnd }, NOW)).toBe(expected);
  });

  it('gives the free plan without subscriptions', () => {
    expect(planOf([], PLANS, NOW)).toBe(FREE_PLAN);
    expect(currentSubscription([], NOW)).toBeUndefined();
  });

  it('gives the plan of an entitling subscription, and free once it is canceled', () => {
    expect(planOf([sub()], PLANS, NOW)).toBe('pro');
    expect(planOf([sub({ status: 'canceled' })], PLANS, NOW)).toBe(FREE_PLAN);
  });

  it('keeps a past_due plan until its period ends', () => {
    expect(planOf([sub({ status: 'past_due' })], PLANS, NOW)).toBe('pro');
    expect(planOf([sub({ status: 'past_due', currentPeriodEnd: NOW - 1 })], PLANS, NOW)).toBe(FREE_PLAN);
  });

  it('grants nothing for a price the operator has not mapped', () => {
    expect(planOf([sub({ priceId: 'price_unknown' })], PLANS, NOW)).toBe(FREE_PLAN);
    expect(planOf([sub({ priceId: null })], PLANS, NOW)).toBe(FREE_PLAN);
    expect(planOf([sub({ priceId: 'toString' })], PLANS, NOW)).toBe(FREE_PLAN);
  });

  it('prefers an entitling subscription over a newer ended one, and the newest among entitling ones', () => {
    const old = sub({ subscriptionId: 'sub_old', created: NOW - 5000, priceId: 'price_team' });
    const ended = sub({ subscriptionId: 'sub_ended', created: NOW - 10, status: 'canceled' });
    const newer = sub({ subscriptionId: 'sub_new', created: NOW - 100, priceId: 'price_pro' });
    expect(currentSubscription([ended, old], NOW)?.subscriptionId).toBe('sub_old');
    expect(currentSubscription([old, newer, ended], NOW)?.subscriptionId).toBe('sub_new');
    expect(planOf([old, newer, ended], PLANS, NOW)).toBe('pro');
    expect(currentSubscription([ended, sub({ subscriptionId: 'sub_x', status: 'canceled', created: NOW - 20 })], NOW)?.subscriptionId).toBe('sub_ended');
  });
});
