import { bootApp, type BootedApp } from './app-boot';

/**
 * Every route of /v1/me and /v1/documents × every kind of caller, with the status each must get
 * (SPEC §8, elevation of privilege). Each cell runs on its own fresh document and its own user
 * ids, so no cell depends on what another did.
 */
type Principal = 'anonymous' | 'user' | 'other user' | 'shared reader' | 'shared writer' | 'admin' | 'compliance';
const PRINCIPALS: Principal[] = ['anonymous', 'user', 'other user', 'shared reader', 'shared writer', 'admin', 'compliance'];

interface Route {
  method: string;
  /** `{id}`: the cell's document; `{target}`: a user the owner shares with. */
  path: string;
  body?: unknown;
  /** A fresh second factor on the caller's token. */
  mfa?: boolean;
  expected: Record<Principal, number>;
}

const every = (status: number, anonymous = 401): Record<Principal, number> => ({
  anonymous,
  user: status,
  'other user': status,
  'shared reader': status,
  'shared writer': status,
  admin: status,
  compliance: status,
});

const ROUTES: Route[] = [
  { method: 'GET', path: '/v1/me', expected: every(200) },
  { method: 'GET', path: '/v1/me/profile', expected: every(200) },
  { method: 'PUT', path: '/v1/me/profile', body: { displayName: 'Name' }, expected: { ...every(200), compliance: 403 } },
  { method: 'GET', path: '/v1/me/export', expected: every(200) },
  { method: 'POST', path: '/v1/documents', body: { title: 'New' }, expected: { ...every(201), compliance: 403 } },
  { method: 'GET', path: '/v1/documents', expected: every(200) },
  {
    method: 'GET',
    path: '/v1/documents/{id}',
    expected: { anonymous: 401, user: 200, 'other user': 404, 'shared reader': 200, 'shared writer': 200, admin: 404, compliance: 404 },
  },
  {
    method: 'PATCH',
    path: '/v1/documents/{id}',
    body: { title: 'Changed' },
    expected: { anonymous: 401, user: 200, 'other user': 404, 'shared reader': 403, 'shared writer': 200, admin: 404, compliance: 403 },
  },
  {
    method: 'DELETE',
    path: '/v1/documents/{id}',
    expected: { anonymous: 401, user: 200, 'other user': 404, 'shared reader': 403, 'shared writer': 403, admin: 404, compliance: 403 },
  },
  {
    method: 'PUT',
    path: '/v1/documents/{id}/shares/{target}',
    body: { access: 'read' },
    expected: { anonymous: 401, user: 200, 'other user': 404, 'shared reader': 403, 'shared writer': 403, admin: 404, compliance: 403 },
  },
  {
    method: 'DELETE',
    path: '/v1/documents/{id}/shares/{target}',
    expected: { anonymous: 401, user: 200, 'other user': 404, 'shared reader': 403, 'shared writer': 403, admin: 404, compliance: 403 },
  },
  // Last: the admin's erasure would otherwise make the admin's later writes 410.
  { method: 'DELETE', path: '/v1/me', expected: every(403) },
  { method: 'DELETE', path: '/v1/me', mfa: true, expected: { ...every(202), compliance: 403 } },
];

const CELLS = ROUTES.flatMap((route) => PRINCIPALS.map((principal) => [`${route.method} ${route.path}${route.mfa ? ' (MFA)' : ''}`, principal, route] as const));

describe('role matrix (e2e)', () => {
  let booted: BootedApp;
  let cell = 0;

  beforeAll(async () => {
    // The matrix sends a few hundred requests from one address within seconds: rate limits are not what it tests.
    booted = await bootApp({ RATE_LIMIT_IP_PER_MIN: '0', RATE_LIMIT_USER_PER_MIN: '0', BOOTSTRAP_ADMINS: 'user_admin', BOOTSTRAP_COMPLIANCE: 'user_compliance' });
  });
  afterAll(async () => {
    await booted.close();
  });

  async function call(method: string, path: string, userId: string | undefined, body?: unknown, mfa = false): Promise<Response> {
    const headers: Record<string, string> = {};
    if (userId !== undefined) headers.authorization = `Bearer ${booted.token(userId, { mfa })}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${booted.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  it.each(CELLS)('%s as %s', async (_name, principal, route) => {
    const n = ++cell;
    const ids: Record<Principal, string | undefined> = {
      anonymous: undefined,
      user: `user_owner_${n}`,
      'other user': `user_other_${n}`,
      'shared reader': `user_reader_${n}`,
      'shared writer': `user_writer_${n}`,
      admin: 'user_admin',
      compliance: 'user_compliance',
    };
    const owner = ids.user as string;
    const target = `user_target_${n}`;
    let path = route.path;
    if (path.includes('{id}')) {
      const created = await call('POST', '/v1/documents', owner, { title: 'Fixture', body: 'text' });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      for (const [userId, access] of [
        [ids['shared reader'], 'read'],
        [ids['shared writer'], 'write'],
        [target, 'read'],
      ] as const) {
        expect((await call('PUT', `/v1/documents/${id}/shares/${userId}`, owner, { access })).status).toBe(200);
      }
      path = path.replace('{id}', id).replace('{target}', target);
    }
    const response = await call(route.method, path, ids[principal], route.body, route.mfa);
    expect({ status: response.status, cell: `${route.method} ${route.path} as ${principal}` }).toEqual({
      status: route.expected[principal],
      cell: `${route.method} ${route.path} as ${principal}`,
    });
    if (response.status >= 400) expect(response.headers.get('content-type')).toContain('application/problem+json');
    if (principal !== 'anonymous') expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('covers every /v1/me and /v1/documents operation the OpenAPI document lists', async () => {
    const document = (await (await fetch(`${booted.baseUrl}/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const listed = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/me') || path.startsWith('/v1/documents'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`));
    const covered = new Set(ROUTES.map((r) => `${r.method} ${r.path.replace(/\{[^}]+\}/g, '{}')}`));
    expect(listed.length).toBeGreaterThanOrEqual(12);
    expect(listed.filter((operation) => !covered.has(operation))).toEqual([]);
  });
});
