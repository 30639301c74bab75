import 'reflect-metadata';
import { UnsupportedMediaTypeException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@ledgerline/config';
import type winston from 'winston';
import { AppModule } from './app.module';
import { consoleContentSecurityPolicy } from './console/console-csp';
import { fastifyOptions } from './platform/http/fastify-options';
import { registerSecurityHeaders } from './platform/http/security-headers';
import { registerWriteAdmission, WriteAdmission } from './platform/http/write-admission';
import { LedgerlineMetrics } from './platform/metrics/metrics.registry';
import { WinstonNestLogger } from './platform/observability/nest-logger';

/**
 * Writes served at once, and queued past that before new ones are refused (503). A create waits on
 * three fsyncs in turn (its key, its quota slot, its document), so the writes in flight are what fills
 * each group commit: 64 gave 1,263–1,420 creates/s against 16's 1,214–1,252 (same minutes, closed loop,
 * docs/benchmarks.md). The queue holds a few seconds of writes.
 */
const WRITE_ADMISSION = { maxInFlight: 64, maxQueued: 2_000 };

/** Builds the API application (used by main.ts and by the end-to-end specs). */
export async function createApp(config: AppConfig, logger: winston.Logger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter(fastifyOptions(config));
  const fastify = adapter.getInstance();
  // Code that logs while serving a request passes request.id with the line (no AsyncLocalStorage: on Node 20
  // its promise hook runs for every promise, about a tenth of the request thread per request; docs/benchmarks.md).
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  registerSecurityHeaders(fastify, { tls: config.tlsCertFile !== undefined, consoleCsp: consoleContentSecurityPolicy(config) });
  // The API speaks JSON only: Nest would otherwise parse HTML-form bodies too. Registered before Nest's
  // defaults, this parser wins and answers 415 (the Stripe webhook reads its raw body on its own).
  adapter.useBodyParser('application/x-www-form-urlencoded', false, {}, () => {
    throw new UnsupportedMediaTypeException('the API accepts application/json bodies only');
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, logger), adapter, {
    rawBody: true,
    logger: new WinstonNestLogger(logger),
    bufferLogs: false,
  });
  const metrics = app.get(LedgerlineMetrics);
  // After the per-IP limit (registered while the app was created), before authentication and the body.
  const admission = new WriteAdmission({ ...WRITE_ADMISSION, onRefused: () => metrics.writesRefusedOverloaded.inc() });
  registerWriteAdmission(fastify, admission);
  metrics.trackWriteQueue(() => admission.queued);
  fastify.addHook('onResponse', async (request, reply) => {
    // Route templates only (never raw URLs): bounded label cardinality and no ids in metrics.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  // CORS only for the configured origins; without CORS_ORIGINS no cross-origin browser call is allowed.
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-consistent-after', 'x-access-reason', 'x-request-id'],
      exposedHeaders: ['etag', 'location', 'retry-after', 'x-request-id', 'ratelimit', 'ratelimit-policy'],
      maxAge: 600,
    });
  }
  return app;
}
