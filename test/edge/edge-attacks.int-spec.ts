import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { randomPort } from '../support/api-process';
import { ATTACKS } from './attack-corpus';
import { EdgeClient, sendRaw, type EdgeAnswer } from './support/edge-client';
import { startEdge } from './support/edge-process';
import { startEdgeStack, total, type EdgeStack } from './support/edge-stack';

const fromApp = (answer: EdgeAnswer): boolean => String(answer.headers['content-security-policy'] ?? '').startsWith("default-src 'none'");

/** `openssl s_client` with one protocol version; `ok` when the handshake completed. */
async function handshake(port: number, ...args: string[]): Promise<{ ok: boolean; protocol: string | undefined }> {
  // SECLEVEL=0 lets the client offer what its own defaults would forbid, so a refusal is the edge's.
  // stdin at EOF: s_client shakes hands, prints the session and quits.
  const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-cipher', 'DEFAULT:@SECLEVEL=0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10_000,
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const result = { code, out };
  // "New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384" after a handshake; "New, (NONE), Cipher is (NONE)" without.
  const [, version, cipher] = /^New, (\S+), Cipher is (\S+)/m.exec(result.out) ?? [];
  const ok = result.code === 0 && version !== undefined && version !== '(NONE)' && cipher !== '(NONE)';
  return { ok, protocol: ok ? version : undefined };
}

describe('hostile traffic at the edge (real nginx + ModSecurity + OWASP CRS, real API process)', () => {
  let stack: EdgeStack;

  beforeAll(async () => {
    stack = await startEdgeStack();
  }, 200_000); // a first run may install the Debian packages
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses at least 95% of the attack corpus with 403 at the edge, logs each refusal, and the API sees none of them', async () => {
    const before = await stack.appRequests();
    const results = [];
    for (const attack of ATTACKS) {
      const id = `attack-${randomUUID()}`;
      const headers = { authorization: `Bearer ${stack.token('user_mallory')}`, 'x-request-id': id, ...attack.request.headers };
      const answer = await stack.client.send({ ...attack.request, headers });
      results.push({ id, category: attack.category, request: `${attack.request.method} ${attack.request.path.slice(0, 120)}`, status: answer.status, fromApp: fromApp(answer) });
    }
    const blocked = results.filter((r) => r.status === 403 && !r.fromApp);
    const passed = results.filter((r) => !blocked.includes(r));
    expect({ blockedShare: blocked.length / results.length, passed }).toEqual({ blockedShare: expect.any(Number), passed: [] });
    expect(blocked.length / results.length).toBeGreaterThanOrEqual(0.95);
    for (const category of new Set(ATTACKS.map((a) => a.category))) {
      expect({ category, blocked: blocked.some((r) => r.category === category) }).toEqual({ category, blocked: true });
    }

    // The API answered only what the edge let through, and its log names none of the refused requests.
    const after = await stack.appRequests();
    expect(total(after) - total(before)).toBe(passed.length);
    const appLog = stack.api.output();
    expect(blocked.filter((r) => appLog.includes(r.id))).toEqual([]);

    // Every refusal is one JSON line in the WAF audit log, under the request id, with the rule that decided.
    const audit = new Map(stack.edge.auditLog().map((entry) => [entry.transaction.unique_id, entry.transaction]));
    for (const refusal of blocked) {
      const entry = audit.get(refusal.id);
      expect({ id: refusal.id, status: entry?.response.http_code, decidedBy: entry?.messages.some((m) => /^(?:949110|1000[1-4])$/.test(m.details.ruleId)) }).toEqual({
        id: refusal.id,
        status: 403,
        decidedBy: true,
      });
    }
  });

  it('refuses header lines over 16 KiB, bodies over 256 KiB, smuggling framing and paths above the root at the edge', async () => {
    const before = total(await stack.appRequests());
    const hugeHeader = await stack.client.send({ method: 'GET', path: '/health/live', headers: { 'x-filler': 'h'.repeat(20_000) } });
    expect({ status: hugeHeader.status, fromApp: fromApp(hugeHeader) }).toEqual({ status: 400, fromApp: false });
    const hugeBody = await stack.client.send({
      method: 'POST',
      path: '/v1/documents',
      headers: { authorization: `Bearer ${stack.token('user_big')}` },
      body: { title: 'big', body: 'x'.repeat(300 * 1024) },
    });
    expect({ status: hugeBody.status, fromApp: fromApp(hugeBody) }).toEqual({ status: 413, fromApp: false });
    const malformed = await sendRaw(stack.edge.port, stack.edge.ca, 'GET /v1/me HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n');
    expect(malformed).toBe(400);
    for (const path of ['/v1/documents/..%2f..%2f..%2fetc%2fpasswd', '/.well-known/..%2f..%2f..%2fetc/shadow', '/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd']) {
      const above = await stack.client.send({ method: 'GET', path });
      expect({ path, status: above.status, fromApp: fromApp(above) }).toEqual({ path, status: 400, fromApp: false });
    }
    expect(total(await stack.appRequests())).toBe(before);
  });

  it('offers only TLS 1.2 and 1.3, and only forward-secret AEAD suites on 1.2', async () => {
    const port = stack.edge.port;
    expect(await handshake(port, '-tls1_3')).toEqual({ ok: true, protocol: 'TLSv1.3' });
    expect(await handshake(port, '-tls1_2')).toEqual({ ok: true, protocol: 'TLSv1.2' });
    expect((await handshake(port, '-tls1_1')).ok).toBe(false);
    expect((await handshake(port, '-tls1')).ok).toBe(false);
    expect((await handshake(port, '-tls1_2', '-cipher', 'AES128-SHA:AES256-SHA256:DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0')).ok).toBe(false);
  });

  it('rate-limits per client address first, with 429 and Retry-After, before the API is asked', async () => {
    const tight = await startEdge({ upstreamPort: Number(new URL(stack.api.baseUrl).port), port: randomPort(), rate: '1r/m', burst: 2 });
    const client = new EdgeClient(tight.port, tight.ca);
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, () => client.send({ method: 'GET', path: '/health/live' })));
      // One a minute plus a burst of two: three pass, the other nine are refused (at most one more if
      // this run took over a minute).
      const limited = answers.filter((a) => a.status === 429);
      expect(limited.length).toBeGreaterThanOrEqual(8);
      expect(limited[0].headers['retry-after']).toBe('1');
      expect(limited[0].headers['content-type']).toBe('application/problem+json');
      expect(answers.filter((a) => a.status === 200).length).toBe(answers.length - limited.length);
    } finally {
      client.close();
      await tight.stop();
    }
  });
});

describe('forwarding headers through the edge', () => {
  let stack: EdgeStack;
  beforeAll(async () => {
    stack = await startEdgeStack({}, { RATE_LIMIT_IP_PER_MIN: '3' });
  }, 200_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('gives the API the address the edge saw: a client cannot choose it with X-Forwarded-For', async () => {
    // The API limits each client address to 3 requests a minute. Were the spoofed addresses believed,
    // every request would count for a different client and none would be refused.
    const statuses = [];
    for (let i = 1; i <= 6; i++) {
      const answer = await stack.client.send({
        method: 'GET',
        path: '/.well-known/jwks.json', // public, and not exempt from the per-address limit like /health
        headers: { 'x-forwarded-for': `203.0.113.${i}`, 'x-real-ip': `198.51.100.${i}`, forwarded: `for=192.0.2.${i}` },
      });
      statuses.push({ status: answer.status, fromApp: fromApp(answer) });
    }
    expect(statuses).toEqual([...Array(3).fill({ status: 200, fromApp: true }), ...Array(3).fill({ status: 429, fromApp: true })]);
  });
});
