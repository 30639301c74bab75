import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest, preParsingHookHandler, RouteOptions } from 'fastify';

/** Marks a route (through `@RouteConfig(RAW_WEBHOOK_BODY)`) whose body must reach the handler as received. */
export const RAW_WEBHOOK_BODY = { rawWebhookBody: true } as const;

/** Stripe events are a few KiB; this leaves room for large invoices and stops abuse well below the global 256 KiB. */
export const WEBHOOK_BODY_LIMIT_BYTES = 64 * 1024;

/** A media type only these routes are switched to, so only the raw parser below ever sees their bodies. */
const RAW_MEDIA_TYPE = 'application/x-ledgerline-signed-webhook';

const takeBodyRaw: preParsingHookHandler = (request, _reply, payload, done) => {
  request.headers['content-type'] = RAW_MEDIA_TYPE;
  done(null, payload);
};

/**
 * A signed webhook is checked over its exact bytes before anything parses them: the app-wide JSON
 * parser would answer malformed JSON with 400 before the signature check (no security event) and
 * would hand over a parsed object, whatever the declared content type. So routes marked
 * RAW_WEBHOOK_BODY get every body as a Buffer (`request.rawBody`, Nest's RawBodyRequest), with a
 * tighter body limit. Must run before Nest registers its routes (from a provider factory).
 */
export function installRawWebhookBodies(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(RAW_MEDIA_TYPE, { parseAs: 'buffer' }, (request: FastifyRequest, body, done) => {
    (request as RawBodyRequest<FastifyRequest>).rawBody = body as Buffer;
    done(null, body);
  });
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if ((route.config as Record<string, unknown> | undefined)?.rawWebhookBody !== true) return;
    route.bodyLimit = WEBHOOK_BODY_LIMIT_BYTES;
    const existing = route.preParsing === undefined ? [] : Array.isArray(route.preParsing) ? route.preParsing : [route.preParsing];
    route.preParsing = [...existing, takeBodyRaw];
  });
}
