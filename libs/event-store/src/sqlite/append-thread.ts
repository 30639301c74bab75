import { parentPort, workerData } from 'node:worker_threads';
import { sendableError, type AppendThreadReply, type AppendThreadRequest } from './append-thread.protocol';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';

// The embedded store's writer on a thread of its own (see ThreadedSqliteEventStore): group commit and
// its fsync never block the thread that serves requests.
const port = parentPort;
if (port === null) throw new Error('append-thread.js runs only as a worker thread');
const { path, options } = workerData as { path: string; options: Omit<SqliteEventStoreOptions, 'onBatch'> };
const reply = (message: AppendThreadReply): void => port.postMessage(message);
const store = new SqliteEventStore(path, {
  ...options,
  shareCommitsAcrossThreads: true,
  onBatch: ({ items, failedItems, durationMs }) => reply({ kind: 'batch', report: { items, failedItems, durationMs } }),
});
port.on('message', (request: AppendThreadRequest) => {
  if (request.kind === 'close') {
    void store.close().then(() => {
      reply({ kind: 'closed' });
      port.close();
    });
    return;
  }
  store.appendSerialized(request.stream, request.events, request.expected).then(
    (result) => reply({ kind: 'appended', id: request.id, result }),
    (error: unknown) => reply({ kind: 'failed', id: request.id, error: sendableError(error) }),
  );
});
reply({ kind: 'ready' });
