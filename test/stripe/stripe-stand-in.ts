import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_VERSION, checkoutSession, stripeTestId } from './stripe-payloads';

/** One request the stand-in received, as Stripe would have: method, path, headers, form-decoded body. */
export interface StripeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  form: URLSearchParams;
}

export interface StripeStandIn {
  /** `http://127.0.0.1:<port>`: pass as STRIPE_API_URL. */
  url: string;
  requests: StripeRequest[];
  /** What the stand-in found wrong in a request (it also answered it with a Stripe-style 400). */
  violations: string[];
  /** Checkout Sessions created, by id. */
  sessions: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * A local stand-in of the Stripe API for `POST /v1/checkout/sessions`, on 127.0.0.1 at a random
 * port. It checks what the real API requires of the request (secret key as Bearer, form encoding,
 * the pinned API version, an Idempotency-Key, the subscription-mode members) and answers with a
 * session shaped like Stripe's; it replays the first answer for a repeated Idempotency-Key with the
 * same body and refuses the key with another body, as Stripe does.
 */
export async function startStripeStandIn(options: { secretKey: string }): Promise<StripeStandIn> {
  const requests: StripeRequest[] = [];
  const violations: string[] = [];
  const sessions = new Map<string, Record<string, unknown>>();
  const idempotent = new Map<string, { body: string; response: string }>();

  const server = createServer((req, res) => {
    void readBody(req).then(
      (body) => {
        const request: StripeRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, form: new URLSearchParams(body) };
        requests.push(request);
        if (request.method !== 'POST' || request.path !== '/v1/checkout/sessions') {
          return sendError(res, 404, 'invalid_request_error', `Unrecognized request URL (${request.method}: ${request.path}).`);
        }
        const problems = checkCheckoutRequest(request, options.secretKey);
        if (problems.length > 0) {
          violations.push(...problems);
          return sendError(res, 400, 'invalid_request_error', problems.join('; '));
        }
        const key = String(request.headers['idempotency-key']);
        const earlier = idempotent.get(key);
        if (earlier !== undefined) {
          if (earlier.body !== body) return sendError(res, 400, 'idempotency_error', 'Keys for idempotent requests can only be used with the same parameters they were first used with.');
          return send(res, 200, earlier.response, { 'idempotent-replayed': 'true' });
        }
        const session = newSession(request.form);
        sessions.set(String(session.id), session);
        const response = JSON.stringify(session);
        idempotent.set(key, { body, response });
        return send(res, 200, response);
      },
      () => sendError(res, 413, 'invalid_request_error', 'request too large'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations,
    sessions,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function checkCheckoutRequest(request: StripeRequest, secretKey: string): string[] {
  const { headers, form } = request;
  const problems: string[] = [];
  if (headers.authorization !== `Bearer ${secretKey}`) problems.push('Authorization must be the secret key as a Bearer token');
  if (!String(headers['content-type']).startsWith('application/x-www-form-urlencoded')) problems.push('body must be form-encoded');
  if (headers['stripe-version'] !== API_VERSION) problems.push(`Stripe-Version must be ${API_VERSION}, got ${String(headers['stripe-version'])}`);
  const key = headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0 || key.length > 255) problems.push('Idempotency-Key must be 1-255 characters');
  if (form.get('mode') !== 'subscription') problems.push('mode must be subscription');
  if (!form.get('line_items[0][price]')) problems.push('line_items[0][price] is required');
  if (form.get('line_items[0][quantity]') !== '1') problems.push('line_items[0][quantity] must be 1');
  if (!form.get('client_reference_id')) problems.push('client_reference_id is required');
  for (const url of ['success_url', 'cancel_url']) {
    if (!/^https?:\/\//.test(form.get(url) ?? '')) problems.push(`${url} must be an absolute URL`);
  }
  return problems;
}

function newSession(form: URLSearchParams): Record<string, unknown> {
  const id = stripeTestId('cs_test');
  const session = checkoutSession({
    id,
    customer: form.get('customer'),
    clientReferenceId: form.get('client_reference_id'),
    subscription: null,
    created: Math.floor(Date.now() / 1000),
    status: 'open',
    url: `https://checkout.stripe.com/c/pay/${id}#fidkdWxOYHwnPyd1blpxYHZxWjA0`,
  });
  return {
    ...session,
    success_url: form.get('success_url'),
    cancel_url: form.get('cancel_url'),
    metadata: metadataOf(form, 'metadata'),
  };
}

function metadataOf(form: URLSearchParams, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of form) {
    const match = name.startsWith(`${prefix}[`) && name.endsWith(']') ? name.slice(prefix.length + 1, -1) : undefined;
    if (match !== undefined && !match.includes('[')) out[match] = value;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${stripeTestId('x').slice(2)}`, ...headers });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  send(res, status, JSON.stringify({ error: { type, message } }));
}
