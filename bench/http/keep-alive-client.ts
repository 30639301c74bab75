/**
 * The open-loop generator's HTTP/1.1 client: up to `connections` keep-alive sockets, one request at a
 * time on each (no pipelining), and a FIFO of requests waiting for a free socket, as node:http's
 * keep-alive Agent does. It exists because the generator shares the machine's two cores with the
 * server it measures: node:http cost the generator 204–294 µs of CPU per request (20–29 % of a core at
 * 1,000/s, measured in docs/benchmarks.md), CPU the server under test then did not get. This one
 * writes each request as one string and reads only what the bench needs: the status and the body.
 */
import net from 'node:net';

export interface KeepAliveRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Readonly<Record<string, string>>;
  body?: string;
}

export interface KeepAliveResponse {
  status: number;
  body: Buffer;
}

export type ResponseCallback = (error: Error | undefined, response?: KeepAliveResponse) => void;

interface Queued {
  head: string;
  body: string | undefined;
  done: ResponseCallback;
}

const HEADER_END = Buffer.from('\r\n\r\n');
/** A header block this long without its end is not an answer the bench can read. */
const MAX_HEADER_BYTES = 64 * 1024;

export class KeepAliveClient {
  private readonly idle: Connection[] = [];
  private readonly waiting: Queued[] = [];
  private open = 0;
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly connections: number,
  ) {
    if (!Number.isSafeInteger(connections) || connections < 1) throw new RangeError('connections must be a positive integer');
  }

  /** Sends on a free socket, else once one frees up (in order); `done` runs once, with the answer or the error. */
  request(request: KeepAliveRequest, done: ResponseCallback): void {
    if (this.closed) {
      done(new Error('client closed'));
      return;
    }
    let head = `${request.method} ${request.path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\n`;
    for (const name in request.headers) head += `${name}: ${request.headers[name]}\r\n`;
    if (request.body !== undefined) head += `content-length: ${Buffer.byteLength(request.body)}\r\n`;
    head += '\r\n';
    const queued: Queued = { head, body: request.body, done };
    const connection = this.idle.pop() ?? (this.open < this.connections ? this.connect() : undefined);
    if (connection === undefined) this.waiting.push(queued);
    else connection.send(queued);
  }

  /** Ends every socket; requests still waiting for one fail. */
  close(): void {
    this.closed = true;
    for (const queued of this.waiting.splice(0)) queued.done(new Error('client closed'));
    for (const connection of this.idle.splice(0)) connection.destroy();
  }

  private connect(): Connection {
    this.open++;
    return new Connection(
      net.connect({ host: this.host, port: this.port, noDelay: true }),
      (connection) => this.release(connection),
      (connection) => this.lost(connection),
    );
  }

  /** A socket closed (an idle one too, say at the server's keep-alive timeout): a request waiting for one gets a new one. */
  private lost(connection: Connection): void {
    this.open--;
    const idle = this.idle.indexOf(connection);
    if (idle >= 0) this.idle.splice(idle, 1);
    const next = this.closed ? undefined : this.waiting.shift();
    if (next !== undefined) this.connect().send(next);
  }

  private release(connection: Connection): void {
    const next = this.waiting.shift();
    if (next !== undefined) connection.send(next);
    else if (this.closed) connection.destroy();
    else this.idle.push(connection);
  }
}

/** One socket: writes a request, reads its answer (content-length or chunked), then hands itself back. */
class Connection {
  private current: Queued | undefined;
  private buffered: Buffer = Buffer.alloc(0);
  private gone = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly onFree: (connection: Connection) => void,
    private readonly onGone: (connection: Connection) => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('socket closed')));
  }

  send(queued: Queued): void {
    if (this.gone) {
      queued.done(new Error('socket closed'));
      return;
    }
    this.current = queued;
    this.socket.write(queued.body === undefined ? queued.head : queued.head + queued.body);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const answer = parseResponse(this.buffered);
    if (answer === 'incomplete') return;
    if (answer instanceof Error || this.current === undefined) {
      // An answer nobody asked for, or one the bench cannot read: this socket is no longer in step.
      this.fail(answer instanceof Error ? answer : new Error('unexpected response'));
      return;
    }
    const queued = this.current;
    this.current = undefined;
    this.buffered = Buffer.alloc(0);
    if (answer.keepAlive) this.onFree(this);
    else this.socket.end();
    queued.done(undefined, { status: answer.status, body: answer.body });
  }

  private fail(error: Error): void {
    if (!this.gone) {
      this.gone = true;
      this.onGone(this);
      this.socket.destroy();
    }
    const queued = this.current;
    this.current = undefined;
    queued?.done(error);
  }
}

interface ParsedResponse {
  status: number;
  body: Buffer;
  keepAlive: boolean;
}

/** One whole response at the start of `bytes`, 'incomplete' when more must arrive, or an Error for what is not HTTP/1.1. */
export function parseResponse(bytes: Buffer): ParsedResponse | 'incomplete' | Error {
  const headerEnd = bytes.indexOf(HEADER_END);
  if (headerEnd < 0) return bytes.length > MAX_HEADER_BYTES ? new Error('response header too large') : 'incomplete';
  const lines = bytes.toString('latin1', 0, headerEnd).split('\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (statusLine === null) return new Error('not an HTTP/1.x response');
  let contentLength: number | undefined;
  let chunked = false;
  let keepAlive = true;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim().toLowerCase();
    if (name === 'content-length') contentLength = Number(value);
    else if (name === 'transfer-encoding') chunked = value.split(',').some((coding) => coding.trim() === 'chunked');
    else if (name === 'connection') keepAlive = value !== 'close';
  }
  const status = Number(statusLine[1]);
  const bodyStart = headerEnd + HEADER_END.length;
  if (chunked) {
    const body = dechunk(bytes, bodyStart);
    return body instanceof Error || body === 'incomplete' ? body : { status, body, keepAlive };
  }
  const length = contentLength ?? 0;
  if (!Number.isSafeInteger(length) || length < 0) return new Error('invalid content-length');
  if (bytes.length < bodyStart + length) return 'incomplete';
  return { status, body: bytes.subarray(bodyStart, bodyStart + length), keepAlive };
}

/** The body of a chunked message starting at `offset` (trailers ignored). */
function dechunk(bytes: Buffer, offset: number): Buffer | 'incomplete' | Error {
  const parts: Buffer[] = [];
  let at = offset;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) return 'incomplete';
    const size = Number.parseInt(bytes.toString('latin1', at, lineEnd).split(';')[0], 16);
    if (!Number.isSafeInteger(size) || size < 0) return new Error('invalid chunk size');
    at = lineEnd + 2;
    if (size === 0) {
      const end = bytes.indexOf(HEADER_END, at - 2);
      return end < 0 ? 'incomplete' : Buffer.concat(parts);
    }
    if (bytes.length < at + size + 2) return 'incomplete';
    parts.push(bytes.subarray(at, at + size));
    at += size + 2;
  }
}
