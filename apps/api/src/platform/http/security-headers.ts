import type { FastifyInstance } from 'fastify';

/** The documentation UI (outside production) loads its own scripts and styles; everything else is pure JSON. */
const DOCS_PATH = /^\/docs(\/|$)/;
/** The compliance console: the same headers with its own Content-Security-Policy (scripts, styles, a worker from here). */
const CONSOLE_PATH = /^\/console(\/|\?|$)/;

const API_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'accelerometer=(), camera=(), geolocation=(), microphone=(), payment=(), usb=()',
};

/**
 * Helmet-style headers for an API on every answer, HSTS when this process serves TLS itself, and
 * `Cache-Control: no-store` on every answer to an authenticated request (SPEC §7).
 */
export function registerSecurityHeaders(fastify: FastifyInstance, options: { tls: boolean; consoleCsp: string }): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (!DOCS_PATH.test(request.url)) {
      for (const [name, value] of Object.entries(API_HEADERS)) void reply.header(name, value);
      if (CONSOLE_PATH.test(request.url)) void reply.header('content-security-policy', options.consoleCsp);
    } else {
      void reply.header('x-content-type-options', 'nosniff');
    }
    if (options.tls) void reply.header('strict-transport-security', 'max-age=63072000; includeSubDomains');
    if (request.headers.authorization !== undefined || request.url.startsWith('/v1/')) {
      void reply.header('cache-control', 'no-store');
    }
    reply.removeHeader('x-powered-by');
    return payload;
  });
}
