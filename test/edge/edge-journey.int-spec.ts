import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import Stripe from 'stripe';
import { checkoutSession, stripeEvent, stripeTestId } from '../stripe/stripe-payloads';
import { CODE_LIKE_DOCUMENTS, DISPLAY_NAMES } from './legitimate-traffic';
import type { EdgeAnswer, EdgeRequest } from './support/edge-client';
import { startEdgeStack, STRIPE_WEBHOOK_SECRET, total, type EdgeStack } from './support/edge-stack';

/** The API's answers carry its CSP; the edge's own pages (WAF refusals, 429, 502) do not. */
const fromApp = (answer: EdgeAnswer): boolean => String(answer.headers['content-security-policy'] ?? '').startsWith("default-src 'none'");

describe('legitimate traffic through the edge (real nginx + ModSecurity + OWASP CRS, real API process)', () => {
  let stack: EdgeStack;
  let sent = 0;
  let appBefore = 0;
  const alice = `user_alice_${randomUUID().slice(0, 8)}`;
  const bob = `user_bob_${randomUUID().slice(0, 8)}`;

  /** Sends through the edge as `user`; every answer must come from the API itself. */
  async function call(user: string | undefined, request: EdgeRequest & { mfa?: boolean }): Promise<EdgeAnswer> {
    const headers: Record<string, string> = { 'x-request-id': `journey-${randomUUID()}`, ...request.headers };
    if (user) headers.authorization = `Bearer ${stack.token(user, { mfa: request.mfa })}`;
    const answer = await stack.client.send({ ...request, headers });
    sent += 1;
    expect({ request: `${request.method} ${request.path}`, fromApp: fromApp(answer), status: answer.status, text: answer.text.slice(0, 300) }).toEqual(
      expect.objectContaining({ fromApp: true }),
    );
    return answer;
  }

  beforeAll(async () => {
    stack = await startEdgeStack();
    appBefore = total(await stack.appRequests());
  }, 200_000); // a first run may install the Debian packages
  afterAll(async () => {
    await stack?.stop();
  });

  it('serves the TLS answers with HSTS and the request id the API logged', async () => {
    const answer = await call(undefined, { method: 'GET', path: '/health/live', headers: { 'x-request-id': 'journey-health-1' } });
    expect(answer.status).toBe(200);
    expect(answer.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(answer.headers['x-request-id']).toBe('journey-health-1');
    expect(answer.headers.server).toBe('nginx'); // server_tokens off: no version
  });

  it('keeps a profile with real-world names', async () => {
    for (const [i, displayName] of DISPLAY_NAMES.entries()) {
      const put = await call(alice, { method: 'PUT', path: '/v1/me/profile', body: { displayName, email: `alice.o-brien+${i}@example.org`, phone: '+14155552671' } });
      expect(put.status).toBe(200);
    }
    const got = await call(alice, { method: 'GET', path: '/v1/me/profile', headers: { 'x-consistent-after': '0' } });
    expect(got.status).toBe(200);
    expect((await call(alice, { method: 'GET', path: '/v1/me' })).status).toBe(200);
  });

  it('creates, lists, reads, edits, shares and deletes documents full of code-like text', async () => {
    const ids: string[] = [];
    let position = '0';
    for (const doc of CODE_LIKE_DOCUMENTS) {
      const created = await call(alice, { method: 'POST', path: '/v1/documents', body: doc, headers: { 'idempotency-key': randomUUID() } });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
      position = created.body.position;
    }
    const first = await call(alice, { method: 'GET', path: '/v1/documents?limit=3', headers: { 'x-consistent-after': position } });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(3);
    const next = await call(alice, { method: 'GET', path: `/v1/documents?limit=3&cursor=${encodeURIComponent(first.body.nextCursor)}` });
    expect(next.status).toBe(200);

    const [id] = ids;
    const got = await call(alice, { method: 'GET', path: `/v1/documents/${id}` });
    expect(got.body.body).toBe(CODE_LIKE_DOCUMENTS[0].body);
    const patched = await call(alice, {
      method: 'PATCH',
      path: `/v1/documents/${id}`,
      headers: { 'if-match': got.headers.etag as string },
      body: { title: 'SELECT * FROM notes; -- revised', body: `${CODE_LIKE_DOCUMENTS[2].body}\n\n${CODE_LIKE_DOCUMENTS[1].body}` },
    });
    expect(patched.status).toBe(200);
    expect((await call(alice, { method: 'PUT', path: `/v1/documents/${id}/shares/${bob}`, body: { access: 'write' } })).status).toBe(200);
    const asBob = await call(bob, { method: 'GET', path: `/v1/documents/${id}` });
    expect(asBob.status).toBe(200);
    const bobEdit = await call(bob, { method: 'PATCH', path: `/v1/documents/${id}`, body: { body: CODE_LIKE_DOCUMENTS[3].body } });
    expect(bobEdit.status).toBe(200);
    expect((await call(alice, { method: 'DELETE', path: `/v1/documents/${id}/shares/${bob}` })).status).toBe(200);
    const current = await call(alice, { method: 'GET', path: `/v1/documents/${id}` });
    expect((await call(alice, { method: 'DELETE', path: `/v1/documents/${id}`, headers: { 'if-match': current.headers.etag as string } })).status).toBe(200);
  });

  it('carries the largest document the API takes (100 000 characters) both ways in full', async () => {
    const body = CODE_LIKE_DOCUMENTS.map((d) => d.body).join('\n').repeat(40).slice(0, 100_000);
    const author = `user_long_${randomUUID().slice(0, 8)}`;
    const created = await call(author, { method: 'POST', path: '/v1/documents', body: { title: 'Everything at once', body } });
    expect(created.status).toBe(201);
    const got = await call(author, { method: 'GET', path: `/v1/documents/${created.body.id}` });
    expect(got.status).toBe(200);
    expect(got.body.body).toBe(body);
  });

  it('delivers a signed Stripe webhook untouched (the signature still verifies at the API)', async () => {
    const session = checkoutSession({ id: stripeTestId('cs'), customer: stripeTestId('cus'), clientReferenceId: alice, subscription: null, created: Math.floor(Date.now() / 1000), mode: 'payment' });
    session.customer_details = {
      address: { city: "L'Haÿ-les-Roses", country: 'FR', line1: "12 rue de l'Église; Bât. <B>", line2: 'c/o "Zoë" & Co -- 3rd floor', postal_code: '94240', state: null },
      email: 'zoe.dangelo+stripe@example.fr',
      name: "Zoë D'Angelo",
      phone: '+33 1 23 45 67 89',
      tax_exempt: 'none',
      tax_ids: [],
    };
    session.custom_fields = [{ key: 'company', label: { custom: 'Company', type: 'custom' }, optional: true, type: 'text', text: { value: "O'Reilly & Sons; DROP TABLE--" } }];
    const payload = JSON.stringify(stripeEvent('checkout.session.completed', session, { created: Math.floor(Date.now() / 1000) }), null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_WEBHOOK_SECRET });
    const answer = await call(undefined, {
      method: 'POST',
      path: '/webhooks/stripe',
      body: payload,
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
    });
    expect({ status: answer.status, body: answer.text }).toEqual({ status: 200, body: expect.stringContaining('"received":true') });
  });

  it('answers audit queries, proofs, exports and verifications to the compliance officer with MFA', async () => {
    const officer = 'user_compliance';
    const now = new Date().toISOString();
    const filters = new URLSearchParams({ type: 'DocumentCreated', actor: alice, from: '2026-01-01T00:00:00.000Z', to: now, limit: '50' });
    const list = await call(officer, { method: 'GET', path: `/v1/audit/events?${filters}`, mfa: true });
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    const [event] = list.body.items;
    const byStream = new URLSearchParams({ stream: event.stream, limit: '10' });
    expect((await call(officer, { method: 'GET', path: `/v1/audit/events?${byStream}`, mfa: true })).status).toBe(200);
    expect((await call(officer, { method: 'GET', path: `/v1/audit/events/${event.id}`, mfa: true })).status).toBe(200);
    const revealed = await call(officer, {
      method: 'GET',
      path: `/v1/audit/events/${event.id}?reveal=true`,
      mfa: true,
      headers: { 'x-access-reason': "Ticket #4521: user's access request (GDPR Art. 15) -- confirmed by DPO" },
    });
    expect(revealed.status).toBe(200);
    expect((await call(officer, { method: 'GET', path: `/v1/audit/events/${event.id}/receipt`, mfa: true })).status).toBe(200);
    expect((await call(officer, { method: 'GET', path: `/v1/audit/streams/${encodeURIComponent(event.stream)}/verification`, mfa: true })).status).toBe(200);
    for (const body of [{ stream: event.stream }, { actor: alice, from: '2026-01-01T00:00:00.000Z', to: now }]) {
      const exported = await call(officer, { method: 'POST', path: '/v1/audit/exports', mfa: true, body });
      expect({ body, status: exported.status }).toEqual({ body, status: 200 });
    }
    const job = await call(officer, { method: 'POST', path: '/v1/audit/verifications', mfa: true });
    expect(job.status).toBe(202);
    expect((await call(officer, { method: 'GET', path: `/v1/audit/verifications/${job.body.id}`, mfa: true })).status).toBe(200);
    expect((await call(undefined, { method: 'GET', path: '/v1/audit/log-key' })).status).toBe(200);
    const latest = await call(undefined, { method: 'GET', path: '/v1/audit/checkpoints/latest' });
    expect(latest.status).toBe(200);
  });

  it('passes a seeded corpus of valid generated documents and list queries', async () => {
    const snippet = fc.constantFrom(...CODE_LIKE_DOCUMENTS.flatMap((d) => d.body.split('\n')).filter((line) => line.trim() !== ''));
    const word = fc.constantFrom('notes', 'meeting', 'draft', 'Q3', 'roadmap', "it's", 'TODO:', '#42', '(v2)', 'résumé', '—', 'a/b', '50%', 'x < y', '&&', '||', ';');
    const text = (max: number) => fc.array(fc.oneof(word, snippet, fc.string({ maxLength: 20 })), { minLength: 1, maxLength: max }).map((parts) => parts.join(' '));
    const documents = fc.sample(fc.record({ title: text(6).map((t) => t.slice(0, 200)), body: text(30) }), { numRuns: 30, seed: 20261128 });
    for (const [i, doc] of documents.entries()) {
      const author = `user_fuzz_${i}_${randomUUID().slice(0, 8)}`; // the free plan keeps 10 live documents per user
      const created = await call(author, { method: 'POST', path: '/v1/documents', body: doc });
      expect(created.status).toBe(201);
      const patch = await call(author, { method: 'PATCH', path: `/v1/documents/${created.body.id}`, body: { body: `${doc.body}\n${doc.title}` } });
      expect(patch.status).toBe(200);
    }
    for (const limit of fc.sample(fc.integer({ min: 1, max: 100 }), { numRuns: 5, seed: 7 })) {
      expect((await call(bob, { method: 'GET', path: `/v1/documents?limit=${limit}` })).status).toBe(200);
    }
  });

  it('passes seeded ids and audit filters: UUIDs, stream names, event types, Clerk ids, ISO times and opaque cursors', async () => {
    const clerkId = fc.stringMatching(/^user_[A-Za-z0-9]{27}$/);
    const filters = fc.record(
      {
        stream: fc.oneof(fc.uuid().map((id) => `document-${id}`), clerkId.map((id) => `account-${id}`), fc.constantFrom('security-auth', 'audit-checkpoints', 'billing-customers')),
        type: fc.constantFrom('DocumentCreated', 'DocumentShared', 'ProfileUpdated', 'RoleGranted', 'SubjectErased', 'StripeEventApplied', 'AuditAccessed'),
        actor: fc.oneof(clerkId, fc.constantFrom('system', 'stripe', 'user_compliance')),
        from: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
        to: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
        limit: fc.integer({ min: 1, max: 500 }).map(String),
        cursor: fc.uint8Array({ minLength: 8, maxLength: 48 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
      },
      { requiredKeys: [] },
    );
    for (const query of fc.sample(filters, { numRuns: 40, seed: 42 })) {
      const answer = await call('user_compliance', { method: 'GET', path: `/v1/audit/events?${new URLSearchParams(query)}`, mfa: true });
      expect(answer.status).toBeLessThan(500);
      if (query.stream !== undefined) {
        const verification = await call('user_compliance', { method: 'GET', path: `/v1/audit/streams/${encodeURIComponent(query.stream)}/verification`, mfa: true });
        expect(verification.status).toBeLessThan(500);
      }
    }
    for (const [id, userId] of fc.sample(fc.tuple(fc.uuid(), clerkId), { numRuns: 20, seed: 9 })) {
      expect((await call(alice, { method: 'GET', path: `/v1/documents/${id}` })).status).toBe(404);
      expect((await call(alice, { method: 'PUT', path: `/v1/documents/${id}/shares/${userId}`, body: { access: 'read' } })).status).toBe(404);
    }
  });

  it('logged no WAF detection for any of it, and the API answered every request', async () => {
    const detections = stack.edge.auditLog().filter((entry) => entry.transaction.messages.length > 0);
    expect(detections.map((e) => ({ uri: e.transaction.request.uri, rules: e.transaction.messages.map((m) => `${m.details.ruleId} ${m.details.data}`) }))).toEqual([]);
    expect(total(await stack.appRequests()) - appBefore).toBe(sent);
  });
});
