import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { KeepAliveClient, parseResponse, type KeepAliveResponse } from '../../../bench/http/keep-alive-client';

function ask(client: KeepAliveClient, request: Parameters<KeepAliveClient['request']>[0]): Promise<KeepAliveResponse> {
  return new Promise((resolve, reject) => client.request(request, (error, response) => (response ? resolve(response) : reject(error))));
}

describe('bench/http keep-alive client', () => {
  let server: http.Server;
  let port: number;
  const sockets = new Set<string>();
  let inFlight = 0;
  let mostInFlight = 0;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      sockets.add(`${request.socket.remotePort}`);
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        setTimeout(() => {
          inFlight--;
          if (request.url === '/chunked') {
            response.writeHead(200, { 'content-type': 'text/plain' });
            response.write('hello, ');
            response.end('world');
          } else if (request.url === '/then-idle-close') {
            response.writeHead(200, { 'content-length': '2' });
            response.end('ok', () => setTimeout(() => request.socket.destroy(), 20));
          } else if (request.url === '/close') {
            response.writeHead(503, { connection: 'close', 'content-length': '4' });
            response.end('shut');
          } else {
            const answer = JSON.stringify({ method: request.method, auth: request.headers.authorization, type: request.headers['content-type'], body });
            response.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
            response.end(answer);
          }
        }, 5);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    sockets.clear();
    mostInFlight = 0;
  });

  it('sends the method, headers and body, and reads status and body', async () => {
    const client = new KeepAliveClient('127.0.0.1', port, 2);
    const response = await ask(client, { method: 'POST', path: '/v1/documents', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: '{"title":"é"}' });
    client.close();
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body.toString('utf8'))).toEqual({ method: 'POST', auth: 'Bearer t', type: 'application/json', body: '{"title":"é"}' });
  });

  it('keeps at most `connections` requests in flight, queues the rest and reuses its sockets', async () => {
    const client = new KeepAliveClient('127.0.0.1', port, 3);
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        ask(client, { method: 'GET', path: `/n${i}`, headers: {} }).then((response) => {
          expect(response.status).toBe(201);
          order.push(i);
        }),
      ),
    );
    client.close();
    expect(mostInFlight).toBe(3);
    expect(sockets.size).toBe(3);
    expect(order).toHaveLength(12);
  });

  it('reads a chunked body, and answers on a new socket after the server closed one', async () => {
    const client = new KeepAliveClient('127.0.0.1', port, 1);
    const chunked = await ask(client, { method: 'GET', path: '/chunked', headers: {} });
    const closing = await ask(client, { method: 'GET', path: '/close', headers: {} });
    const after = await ask(client, { method: 'GET', path: '/after', headers: {} });
    client.close();
    expect(chunked.body.toString()).toBe('hello, world');
    expect([closing.status, closing.body.toString()]).toEqual([503, 'shut']);
    expect(after.status).toBe(201);
    expect(sockets.size).toBe(2);
  });

  it('drops a socket the server closed while it was idle, and sends the next request on a new one', async () => {
    const client = new KeepAliveClient('127.0.0.1', port, 1);
    expect((await ask(client, { method: 'GET', path: '/then-idle-close', headers: {} })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await ask(client, { method: 'GET', path: '/next', headers: {} });
    client.close();
    expect(next.status).toBe(201);
    expect(sockets.size).toBe(2);
  });

  it('reports a refused connection as an error, once', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = new KeepAliveClient('127.0.0.1', deadPort, 1);
    const outcomes: string[] = [];
    await new Promise<void>((resolve) =>
      client.request({ method: 'GET', path: '/', headers: {} }, (error) => {
        outcomes.push((error as NodeJS.ErrnoException).code ?? 'none');
        setTimeout(resolve, 20);
      }),
    );
    client.close();
    expect(outcomes).toEqual(['ECONNREFUSED']);
  });

  it('fails the request whose answer is not HTTP', async () => {
    const notHttp = net.createServer((socket) => socket.once('data', () => socket.write('SSH-2.0-OpenSSH\r\n\r\n')));
    await new Promise<void>((resolve) => notHttp.listen(0, '127.0.0.1', resolve));
    const client = new KeepAliveClient('127.0.0.1', (notHttp.address() as AddressInfo).port, 1);
    try {
      const outcome = await new Promise<Error | undefined>((resolve) => client.request({ method: 'GET', path: '/', headers: {} }, (error) => resolve(error)));
      expect(outcome?.message).toBe('not an HTTP/1.x response');
    } finally {
      client.close();
      await new Promise((resolve) => notHttp.close(resolve));
    }
  });

  it('tells an incomplete response from a whole one and from one that is not HTTP', () => {
    const whole = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    expect(parseResponse(whole.subarray(0, 20))).toBe('incomplete');
    expect(parseResponse(whole.subarray(0, whole.length - 1))).toBe('incomplete');
    expect(parseResponse(whole)).toEqual({ status: 200, body: Buffer.from('ok'), keepAlive: true });
    expect(parseResponse(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'))).toEqual({ status: 204, body: Buffer.alloc(0), keepAlive: true });
    expect(parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n'))).toBe('incomplete');
    expect(parseResponse(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))).toBeInstanceOf(Error);
    expect(parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'))).toBeInstanceOf(Error);
  });
});
