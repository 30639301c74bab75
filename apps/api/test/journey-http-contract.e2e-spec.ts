import { randomUUID } from 'node:crypto';
import { bootApp, type BootedApp } from './app-boot';

/** The HTTP contract around the product routes: OpenAPI, validation limits, idempotency races, consistency waits, readiness. */
describe('HTTP contract of the product routes (e2e)', () => {
  let booted: BootedApp;
  const user = 'user_contract';

  async function call(method: string, url: string, options: { user?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.user) headers.authorization = `Bearer ${booted.token(options.user)}`;
    if (options.body !== undefined || options.raw !== undefined) headers['content-type'] ??= 'application/json';
    return fetch(`${booted.baseUrl}${url}`, { method, headers, body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) });
  }

  beforeAll(async () => {
    booted = await bootApp();
  });
  afterAll(async () => {
    await booted.close();
  });

  it('publishes the OpenAPI document at /docs-json without a token, with the DTO limits', async () => {
    const response = await call('GET', '/docs-json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> };
    };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/me', '/v1/me/profile', '/v1/me/export', '/v1/documents', '/v1/documents/{id}', '/v1/documents/{id}/shares/{userId}']));
    expect(Object.keys(document.paths['/v1/documents/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(document.components.schemas.CreateDocumentDto.properties.title).toMatchObject({ maxLength: 200, minLength: 1 });
    expect(document.components.schemas.CreateDocumentDto.properties.body).toMatchObject({ maxLength: 100_000 });
    expect(document.components.schemas.ShareDocumentDto.properties.access).toMatchObject({ enum: ['read', 'write'] });
    expect(Object.keys(document.paths)).not.toContain('/docs-json');
    const operation = (path: string, method: string) => document.paths[path][method] as { parameters: { name: string; in: string }[]; responses: Record<string, unknown> };
    expect(operation('/v1/documents/{id}', 'patch').parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'If-Match', in: 'header' })]));
    expect(Object.keys(operation('/v1/documents/{id}', 'patch').responses)).toEqual(expect.arrayContaining(['200', '412', '404']));
    expect(operation('/v1/documents', 'post').parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
    expect(Object.keys(operation('/v1/documents', 'post').responses)).toEqual(expect.arrayContaining(['201', '403', '409', '422']));
    expect(operation('/v1/documents', 'get').parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'X-Consistent-After', in: 'header' })]));
  });

  it('serves Swagger UI at /docs outside production, and only its own assets', async () => {
    const page = await call('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/docs/swagger-ui-bundle.js');
    const bundle = await call('GET', '/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect(await (await call('GET', '/docs/swagger-ui-init.js')).text()).toContain("url: '/docs-json'");
    for (const probe of ['/docs/package.json', '/docs/..%2Fpackage.json', '/docs/index.js']) expect((await call('GET', probe)).status).toBe(404);
  });

  it('takes a body of exactly 100 000 characters and refuses one more, naming only the member', async () => {
    expect((await call('POST', '/v1/documents', { user, body: { title: 't', body: 'x'.repeat(100_000) } })).status).toBe(201);
    const over = await call('POST', '/v1/documents', { user, body: { title: 't', body: `SECRET${'x'.repeat(100_000)}` } });
    expect(over.status).toBe(400);
    const problem = (await over.json()) as { errors: unknown; detail: string };
    expect(problem.errors).toEqual([{ field: 'body', rules: ['maxLength'] }]);
    expect(JSON.stringify(problem)).not.toContain('SECRET');
  });

  it.each([
    ['a wrong type', { title: 42 }, ['title']],
    ['a missing title', { body: 'b' }, ['title']],
    ['an empty title', { title: '' }, ['title']],
    ['an unknown member', { title: 't', owner: 'user_mallory' }, ['owner']],
    ['a nested object as title', { title: { $jwe: 'x' } }, ['title']],
  ])('refuses %s with 400 problem+json', async (_what, body, fields) => {
    const response = await call('POST', '/v1/documents', { user, body });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toEqual(fields);
  });

  it('refuses a JSON array, a body of an unknown media type and an over-long Idempotency-Key', async () => {
    expect((await call('POST', '/v1/documents', { user, raw: '[{"title":"t"}]' })).status).toBe(400);
    expect((await call('POST', '/v1/documents', { user, raw: '<title/>', headers: { 'content-type': 'application/xml' } })).status).toBe(415);
    expect((await call('POST', '/v1/documents', { user, body: { title: 't' }, headers: { 'idempotency-key': 'k'.repeat(256) } })).status).toBe(400);
    expect((await call('POST', '/v1/documents', { user, body: { title: 't' }, headers: { 'idempotency-key': 'k'.repeat(255) } })).status).toBe(201);
  });

  it('creates one document for ten concurrent requests with one Idempotency-Key', async () => {
    const racer = `user_racer_${randomUUID().slice(0, 8)}`;
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => call('POST', '/v1/documents', { user: racer, body: { title: 'Once' }, headers: { 'idempotency-key': key } })),
    );
    const ids = new Set<string>();
    for (const response of responses) {
      expect([201, 409]).toContain(response.status);
      if (response.status === 201) ids.add(((await response.json()) as { id: string }).id);
      else expect(response.headers.get('retry-after')).toBe('1');
    }
    expect(ids.size).toBe(1);
    // After the race, a retry gets the stored answer.
    const retry = await call('POST', '/v1/documents', { user: racer, body: { title: 'Once' }, headers: { 'idempotency-key': key } });
    expect(retry.status).toBe(201);
    expect(((await retry.json()) as { id: string }).id).toBe([...ids][0]);
    const list = (await (await call('GET', '/v1/documents', { user: racer, headers: { 'x-consistent-after': (await headPosition()).toString() } })).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
    // The same key is the caller's own: another caller using it is unaffected.
    expect((await call('POST', '/v1/documents', { user: 'user_other_racer', body: { title: 'Mine' }, headers: { 'idempotency-key': key } })).status).toBe(201);
  });

  it('gives new documents time-ordered ids (UUID version 7), each later one sorting after the one before', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await call('POST', '/v1/documents', { user: `user_ordered_${randomUUID().slice(0, 8)}`, body: { title: `Ordered ${i}` } });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
  });

  it('answers X-Consistent-After: bad values 400, reached positions at once, unreachable ones 503 with Retry-After', async () => {
    for (const bad of ['-1', 'abc', '1.5', '99999999999999999999999']) {
      expect((await call('GET', '/v1/documents', { user, headers: { 'x-consistent-after': bad } })).status).toBe(400);
    }
    expect((await call('GET', '/v1/me/profile', { user, headers: { 'x-consistent-after': (await headPosition()).toString() } })).status).toBe(200);
    const started = Date.now();
    const late = await call('GET', '/v1/documents', { user, headers: { 'x-consistent-after': '18446744073709551615' } });
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toBe('1');
    expect(late.headers.get('content-type')).toContain('application/problem+json');
    // It did wait for the projections before giving up (SPEC: up to 5 s).
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
  });

  it('makes only callers who may read wait for X-Consistent-After: no token is 401 and a missing role 403, at once', async () => {
    const started = Date.now();
    const anonymous = await call('GET', '/v1/documents', { headers: { 'x-consistent-after': '18446744073709551615' } });
    expect(anonymous.status).toBe(401);
    const notCompliance = await call('GET', '/v1/audit/events', { user, headers: { 'x-consistent-after': '18446744073709551615' } });
    expect(notCompliance.status).toBe(403);
    // Neither waited out the 5 s the projections would get (the test above shows that wait).
    expect(Date.now() - started).toBeLessThan(4_500);
  });

  it("puts a request's id on the log lines written about it: the refusal and the security event", async () => {
    const requestId = randomUUID();
    expect((await call('GET', '/v1/documents', { headers: { 'x-request-id': requestId, authorization: 'Bearer not-a-token' } })).status).toBe(401);
    const lines = booted
      .logs()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.requestId === requestId);
    expect(lines.map((line) => line.message)).toEqual(expect.arrayContaining(['request refused', 'security event']));
  });

  it('reports every read model with its state and lag in /health/ready', async () => {
    const ready = (await (await call('GET', '/health/ready')).json()) as { checks: unknown; projections: { name: string; state: string; lag: string }[] };
    expect(ready.checks).toEqual({ eventStore: 'up', readDb: 'up' });
    expect(ready.projections.map((p) => p.name)).toEqual(expect.arrayContaining(['documents', 'document-shares', 'profiles']));
    for (const p of ready.projections) {
      expect(p.state).toBe('running');
      expect(p.lag).toMatch(/^\d+$/);
    }
  });

  async function headPosition(): Promise<bigint> {
    const ready = (await (await call('GET', '/health/ready')).json()) as { projections: { position: string | null; lag: string }[] };
    return ready.projections.reduce((max, p) => {
      const head = BigInt(p.position ?? '0') + BigInt(p.lag);
      return head > max ? head : max;
    }, 0n);
  }
});
