import { loadConfig } from '@ledgerline/config';
import { checkoutReturnUrls } from './checkout-urls';

describe('checkoutReturnUrls', () => {
  it('returns to the first authorized party, keeping the session placeholder literal', () => {
    const config = loadConfig({ CLERK_AUTHORIZED_PARTIES: 'https://app.example.com/,https://admin.example.com' });
    expect(checkoutReturnUrls(config)).toEqual({
      successUrl: 'https://app.example.com/billing/success?session_id={CHECKOUT_SESSION_ID}',
      cancelUrl: 'https://app.example.com/billing/canceled',
    });
  });

  it('returns to the dev origin in dev auth without authorized parties', () => {
    expect(checkoutReturnUrls(loadConfig({})).cancelUrl).toBe('http://localhost:3000/billing/canceled');
  });
});
