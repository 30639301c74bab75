import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EventStore, RecordedEvent } from '@ledgerline/event-store';
import { EVENT_STORE } from '../../apps/api/src/platform/event-store/event-store.tokens';
import { signedDelivery } from './stripe-payloads';

export const WEBHOOK_SECRET = 'whsec_test_ledgerline_0123456789abcdef';
export const SECRET_KEY = 'sk_test_ledgerline_51Hx0123456789';
export const PLANS = { price_pro: 'pro', price_team: 'team' };

/** The environment that turns billing on against a stand-in at `stripeApiUrl`. */
export function billingEnv(stripeApiUrl: string): Record<string, string> {
  return {
    STRIPE_SECRET_KEY: SECRET_KEY,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_URL: stripeApiUrl,
    STRIPE_PLANS: JSON.stringify(PLANS),
  };
}

export interface WebhookAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | undefined;
}

/** POSTs a body to /webhooks/stripe with the given headers, as Stripe's delivery would. */
export async function postWebhook(baseUrl: string, body: string | Buffer, headers: Record<string, string>): Promise<WebhookAnswer> {
  const response = await fetch(`${baseUrl}/webhooks/stripe`, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Signs `event` with the test webhook secret (or `secret`) and delivers it. */
export function deliver(baseUrl: string, event: Record<string, unknown>, options: { secret?: string; timestamp?: number } = {}): Promise<WebhookAnswer> {
  const { body, headers } = signedDelivery(event, options.secret ?? WEBHOOK_SECRET, options.timestamp);
  return postWebhook(baseUrl, body, headers);
}

/** Every event of one stream, in revision order. */
export async function readStream(app: NestFastifyApplication, stream: string): Promise<RecordedEvent[]> {
  const store = app.get<EventStore>(EVENT_STORE);
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(stream)) events.push(event);
  return events;
}
