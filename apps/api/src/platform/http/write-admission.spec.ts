import Fastify, { type FastifyInstance } from 'fastify';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerWriteAdmission, WriteAdmission } from './write-admission';

describe('WriteAdmission', () => {
  it('admits up to maxInFlight at once, then in arrival order as slots free', () => {
    const admission = new WriteAdmission({ maxInFlight: 2, maxQueued: 10 });
    const order: string[] = [];
    const leaves = ['a', 'b', 'c', 'd'].map((name) => admission.enter(() => order.push(name)));
    expect(order).toEqual(['a', 'b']);
    expect(admission.queued).toBe(2);
    leaves[1]?.();
    expect(order).toEqual(['a', 'b', 'c']);
    leaves[0]?.();
    leaves[0]?.(); // a second leave of the same request frees nothing more
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    expect(admission.running).toBe(2);
  });

  it('forgets a request that leaves while queued, without giving up a slot', () => {
    const admission = new WriteAdmission({ maxInFlight: 1, maxQueued: 10 });
    const order: string[] = [];
    const first = admission.enter(() => order.push('first'));
    const gone = admission.enter(() => order.push('gone'));
    admission.enter(() => order.push('third'));
    gone?.();
    expect(admission.running).toBe(1);
    first?.();
    expect(order).toEqual(['first', 'third']);
    expect(admission.running).toBe(1);
    expect(admission.queued).toBe(0);
  });

  it('refuses past maxQueued and says so', () => {
    let refused = 0;
    const admission = new WriteAdmission({ maxInFlight: 1, maxQueued: 1, onRefused: () => refused++ });
    expect(admission.enter(() => undefined)).toBeDefined();
    expect(admission.enter(() => undefined)).toBeDefined();
    expect(admission.enter(() => undefined)).toBeUndefined();
    expect(refused).toBe(1);
  });
});

describe('registerWriteAdmission (real HTTP)', () => {
  let app: FastifyInstance;
  let port: number;
  const releases: (() => void)[] = [];
  const admission = new WriteAdmission({ maxInFlight: 1, maxQueued: 1 });

  beforeAll(async () => {
    app = Fastify();
    registerWriteAdmission(app, admission);
    // A write that finishes only when the test says so: it holds the one slot meanwhile.
    app.post('/write', () => new Promise((resolve) => releases.push(() => resolve({ done: true }))));
    app.get('/read', () => ({ read: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app.close();
  });

  function send(method: string, path: string): { response: Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>; abort(): void } {
    const request = http.request({ host: '127.0.0.1', port, method, path, agent: false });
    const response = new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      request.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      request.on('error', reject);
    });
    request.end();
    return { response, abort: () => request.destroy() };
  }

  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it('serves reads while writes wait, refuses writes past the queue, and frees the slots of finished and abandoned writes', async () => {
    const first = send('POST', '/write');
    await until(() => releases.length === 1);
    const abandoned = send('POST', '/write');
    await until(() => admission.queued === 1);

    const read = await send('GET', '/read').response;
    expect(read.status).toBe(200);

    const refused = await send('POST', '/write').response;
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(refused.body)).toMatchObject({ type: 'https://ledgerline.dev/problems/overloaded', status: 503 });

    abandoned.response.catch(() => undefined);
    abandoned.abort();
    await until(() => admission.queued === 0);
    releases.shift()?.();
    expect((await first.response).status).toBe(200);
    await until(() => admission.running === 0);

    // The abandoned write never ran, and the next write is admitted at once.
    const next = send('POST', '/write');
    await until(() => releases.length === 1);
    releases.shift()?.();
    expect((await next.response).status).toBe(200);
    await until(() => admission.running === 0);
  });
});
