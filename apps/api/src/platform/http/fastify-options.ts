import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyServerOptions } from 'fastify';
import type { AppConfig } from '@ledgerline/config';

/** Bodies over 256 KiB are refused with 413 (SPEC §7). */
export const BODY_LIMIT_BYTES = 256 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Keeps a client's X-Request-Id when it is well-formed, otherwise mints one. */
export function requestIdFor(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && CLIENT_REQUEST_ID.test(value) ? value : randomUUID();
}

export function fastifyOptions(config: AppConfig): FastifyServerOptions & { https?: { cert: Buffer; key: Buffer } } {
  return {
    bodyLimit: BODY_LIMIT_BYTES,
    requestTimeout: REQUEST_TIMEOUT_MS,
    connectionTimeout: REQUEST_TIMEOUT_MS,
    keepAliveTimeout: 5_000,
    forceCloseConnections: 'idle',
    trustProxy: config.trustProxy,
    genReqId: (request) => requestIdFor(request.headers['x-request-id']),
    logger: false,
    ...(config.tlsCertFile && config.tlsKeyFile
      ? { https: { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } }
      : {}),
  };
}
