import { createHash } from 'node:crypto';
import http from 'node:http';
import { addCheckpoint, type AddCheckpointDeps, type WitnessAnswer } from '../add-checkpoint/add-checkpoint.handler';

/** Largest add-checkpoint body: 63 proof lines and a checkpoint with many signatures fit well within it. */
export const MAX_BODY_BYTES = 64 * 1024;

const MONITOR_PATH = /^\/([0-9a-f]{64})\/checkpoint$/;

const plain = (status: number, body: string): WitnessAnswer => ({ status, contentType: 'text/plain; charset=utf-8', body: `${body}\n` });

/**
 * The witness's HTTP surface: `POST /add-checkpoint` (c2sp.org/tlog-witness), the monitoring
 * `GET /<hex SHA-256 of origin>/checkpoint`, and `GET /health`. Bodies are bounded; errors are short
 * texts that name the problem and never internals.
 */
export function createWitnessServer(deps: AddCheckpointDeps & { origins: readonly string[]; onError: (error: unknown) => void }): http.Server {
  const byOriginHash = new Map(deps.origins.map((origin) => [createHash('sha256').update(origin, 'utf8').digest('hex'), origin]));
  const server = http.createServer((request, response) => {
    const send = (answer: WitnessAnswer): void => {
      // Once closing, no connection is kept alive for another request.
      if (!server.listening) response.setHeader('connection', 'close');
      response.writeHead(answer.status, { 'content-type': answer.contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      response.end(answer.body);
    };
    const url = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && url === '/health') return send(plain(200, 'ok'));
    const monitored = request.method === 'GET' ? MONITOR_PATH.exec(url) : null;
    if (monitored !== null) {
      const origin = byOriginHash.get(monitored[1]);
      const held = origin === undefined ? undefined : deps.state.latest(origin);
      return send(held === undefined ? plain(404, 'no checkpoint cosigned for this log') : { status: 200, contentType: 'text/plain; charset=utf-8', body: held.note });
    }
    if (url !== '/add-checkpoint') return send(plain(404, 'not found'));
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      return send(plain(405, 'add-checkpoint takes POST'));
    }
    const declared = Number(request.headers['content-length'] ?? '0');
    if (declared > MAX_BODY_BYTES) {
      response.setHeader('connection', 'close');
      return send(plain(400, `the body exceeds ${MAX_BODY_BYTES} bytes`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES && !refused) {
        refused = true;
        response.setHeader('connection', 'close');
        send(plain(400, `the body exceeds ${MAX_BODY_BYTES} bytes`));
        request.destroy();
      }
      if (!refused) chunks.push(chunk);
    });
    request.on('end', () => {
      if (refused) return;
      const bytes = Buffer.concat(chunks);
      const body = bytes.toString('utf8');
      if (!Buffer.from(body, 'utf8').equals(bytes)) return send(plain(400, 'the body is not UTF-8 text'));
      try {
        send(addCheckpoint(body, deps));
      } catch (error) {
        deps.onError(error);
        send(plain(500, 'the witness could not process the checkpoint'));
      }
    });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  return server;
}
