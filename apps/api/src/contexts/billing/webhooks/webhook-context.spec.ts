import { isLowercaseUuid } from '@ledgerline/integrity';
import { causationIdOf, webhookContext } from './webhook-context';

describe('webhook context', () => {
  it('derives one lowercase UUID per Stripe event id, the same on every delivery', () => {
    const id = causationIdOf('evt_1Abc');
    expect(isLowercaseUuid(id)).toBe(true);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(causationIdOf('evt_1Abc')).toBe(id);
    expect(causationIdOf('evt_1Abd')).not.toBe(id);
  });

  it('names Stripe as the actor with the event id as ref, and correlates with the request', () => {
    const requestId = '6f1d3a52-93a4-4c4e-a9a7-3f1e2b7c8d90';
    expect(webhookContext('evt_1Abc', requestId)).toEqual({
      actor: { kind: 'webhook', id: 'stripe', ref: 'evt_1Abc' },
      correlationId: requestId,
      causationId: causationIdOf('evt_1Abc'),
    });
  });
});
