/**
 * bench/http's baseline, run as its own process like the API: bare Fastify, no auth, one
 * better-sqlite3 insert per create into a WAL table with synchronous=FULL (so one fsync'd commit
 * per request, no group commit), and a 20-row select for the list.
 *
 *   DATA_DIR=… PORT=… node dist/bench/http/baseline-server.js
 */
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { BASELINE_DB } from './targets';

async function main(): Promise<void> {
  const db = new Database(path.join(process.env.DATA_DIR ?? '.', BASELINE_DB));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS documents (id TEXT UNIQUE, data TEXT)');
  const insert = db.prepare('INSERT INTO documents (id, data) VALUES (?, ?)');
  const latest = db.prepare('SELECT id, data FROM documents ORDER BY rowid DESC LIMIT CAST(? AS INTEGER)');

  const app = Fastify();
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.post('/v1/documents', async (request, reply) => {
    const id = randomUUID();
    insert.run(id, JSON.stringify(request.body));
    return reply.status(201).send({ id });
  });
  app.get('/v1/documents', async (request) => {
    const limit = Math.min(100, Math.max(1, Number((request.query as { limit?: string }).limit ?? 20) || 20));
    return { items: latest.all(limit) };
  });
  const close = () => void app.close().then(() => (db.close(), process.exit(0)));
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
  await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
