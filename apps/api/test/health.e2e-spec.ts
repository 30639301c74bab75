import { bootApp, type BootedApp } from './app-boot';

describe('app skeleton (e2e)', () => {
  let booted: BootedApp;
  beforeAll(async () => {
    booted = await bootApp();
  });
  afterAll(async () => {
    await booted.close();
  });

  it('answers liveness', async () => {
    const response = await fetch(`${booted.baseUrl}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers readiness with the event store checked', async () => {
    const response = await fetch(`${booted.baseUrl}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', checks: { eventStore: 'up' } });
  });

  it('puts a request id on every response, keeping a well-formed client one', async () => {
    const minted = await fetch(`${booted.baseUrl}/health/live`);
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await fetch(`${booted.baseUrl}/health/live`, { headers: { 'x-request-id': 'client-abc.1' } });
    expect(kept.headers.get('x-request-id')).toBe('client-abc.1');
    // A malformed one is replaced by a minted UUID (which may itself hold the hex digits "bad": compare the shape, not a substring).
    const replaced = await fetch(`${booted.baseUrl}/health/live`, { headers: { 'x-request-id': 'bad id\u00e9' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with problem+json and no internals', async () => {
    const response = await fetch(`${booted.baseUrl}/no/such/route`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 404, title: 'Not Found' });
    expect(typeof body.errorId).toBe('string');
    expect(JSON.stringify(body)).not.toMatch(/node_modules|\/work\/|at .*\(/);
  });

  it('refuses bodies over 256 KiB with 413 problem+json', async () => {
    const response = await fetch(`${booted.baseUrl}/health/live`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filler: 'x'.repeat(300 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const response = await fetch(`${booted.baseUrl}/health/live`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"unterminated": ',
    });
    expect([400, 404]).toContain(response.status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('event-signing keys (e2e)', () => {
  it('publishes the generated dev key as a JWKS (public members only) with a loud warning', async () => {
    const first = await bootApp();
    const jwks = (await (await fetch(`${first.baseUrl}/.well-known/jwks.json`)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(jwks.keys[0].kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(first.logs()).toContain('DEV KEY in use');
    await first.close();
  });
});
