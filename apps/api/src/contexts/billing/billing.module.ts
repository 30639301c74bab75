import { Global, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { AppConfig } from '@ledgerline/config';
import type { FastifyInstance } from 'fastify';
import { PLAN_DIRECTORY } from '../accounts/plan-directory';
import { APP_CONFIG } from '../../platform/config/config.tokens';
import { registerDomainErrorMapper } from '../../platform/errors/domain-error.mapper';
import { ProblemDetailsFilter } from '../../platform/errors/problem-details.filter';
import { SecurityEventsModule } from '../../platform/security-events/security-events.module';
import { BillingController } from './billing.controller';
import { billingErrorMapper } from './billing.errors';
import { STRIPE_CLIENT } from './billing.tokens';
import { ApplyStripeEventHandler } from './commands/apply-stripe-event/apply-stripe-event.handler';
import { CreateCheckoutSessionHandler } from './commands/create-checkout-session/create-checkout-session.handler';
import { BillingPlanDirectory } from './plan-directory';
import { GetSubscriptionHandler } from './queries/get-subscription/get-subscription.handler';
import { BillingSubscriptions } from './read-models/billing-subscriptions.reader';
import { createStripeClient } from './stripe/stripe-client';
import { installRawWebhookBodies } from './webhooks/raw-webhook-body';
import { StripeCustomerLinks } from './webhooks/stripe-customer-links';
import { StripeEventLedger } from './webhooks/stripe-event-ledger';
import { StripeWebhookController } from './webhooks/stripe-webhook.controller';

/** Installed while providers are created, i.e. before Nest registers the routes it must see. */
const RAW_WEBHOOK_BODIES = Symbol('RAW_WEBHOOK_BODIES');

/**
 * Billing: Stripe webhooks (verified, applied exactly once, in any order), Checkout Sessions, the
 * billing read model, and the app's PlanDirectory (global, so documents and accounts get it).
 */
@Global()
@Module({
  imports: [CqrsModule.forRoot(), SecurityEventsModule],
  controllers: [StripeWebhookController, BillingController],
  providers: [
    {
      provide: RAW_WEBHOOK_BODIES,
      inject: [HttpAdapterHost],
      useFactory: (host: HttpAdapterHost): true => {
        installRawWebhookBodies(host.httpAdapter.getInstance<FastifyInstance>());
        return true;
      },
    },
    { provide: STRIPE_CLIENT, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createStripeClient(config) },
    StripeEventLedger,
    StripeCustomerLinks,
    BillingSubscriptions,
    BillingPlanDirectory,
    { provide: PLAN_DIRECTORY, useExisting: BillingPlanDirectory },
    ApplyStripeEventHandler,
    CreateCheckoutSessionHandler,
    GetSubscriptionHandler,
  ],
  exports: [PLAN_DIRECTORY],
})
export class BillingModule implements OnModuleInit {
  constructor(private readonly filter: ProblemDetailsFilter) {}

  onModuleInit(): void {
    registerDomainErrorMapper(this.filter);
    this.filter.addMapper(billingErrorMapper);
  }
}
