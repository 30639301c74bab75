import { Agent, request } from 'node:https';
import { connect } from 'node:tls';

export interface EdgeAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  body: ReturnType<typeof JSON.parse>;
}

export interface EdgeRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON (with its content type). */
  body?: unknown;
}

/**
 * HTTPS to the edge on 127.0.0.1 with the dev certificate pinned and `Host: localhost`, as a browser
 * on this machine would send it (node:https, so tests choose every header, Host included).
 */
export class EdgeClient {
  private readonly agent: Agent;

  constructor(
    private readonly port: number,
    ca: string,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 8, ca, servername: 'localhost' });
  }

  send(options: EdgeRequest): Promise<EdgeAnswer> {
    const headers: Record<string, string> = { host: 'localhost', 'user-agent': 'ledgerline-web/1.0 (edge spec)', accept: 'application/json', ...options.headers };
    let payload: Buffer | undefined;
    if (options.body !== undefined) {
      payload = Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
      if (typeof options.body !== 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['content-type'] = 'application/json';
      }
      headers['content-length'] = String(payload.length);
    }
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: this.port, method: options.method, path: options.path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = text === '' ? undefined : JSON.parse(text);
            } catch {
              body = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * Writes raw bytes over TLS and returns the status line's code (0 when the edge closed without
 * answering): for requests no HTTP client would build.
 */
export function sendRaw(port: number, ca: string, raw: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => socket.end(raw));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}
