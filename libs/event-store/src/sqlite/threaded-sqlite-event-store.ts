import { once } from 'node:events';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AppendResult, ExpectedRevision, NewEvent } from '../event-store.port';
import { validateAppend } from '../validate-input';
import { receivedError, type AppendThreadReply, type AppendThreadRequest } from './append-thread.protocol';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';

export interface ThreadedSqliteEventStoreOptions extends SqliteEventStoreOptions {
  /** The compiled append-thread.js; default beside this file (tests running TypeScript point at the build). */
  appendThreadEntry?: string;
}

interface Waiting {
  resolve(result: AppendResult): void;
  reject(error: Error): void;
}

/**
 * The embedded store with its writer on a worker thread: this thread validates and serializes an
 * append, posts it, and awaits the writer's answer, which comes after the group commit's COMMIT (so
 * a resolved append is durable, as with SqliteEventStore). Reads stay here, on this thread's own
 * connection, which sees every commit the writer acknowledged (WAL: each read starts after them).
 * On a 2-core machine this keeps the fsync of every group commit off the thread that serves requests.
 */
export class ThreadedSqliteEventStore extends SqliteEventStore {
  private readonly writer: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private closed: Promise<void> | undefined;
  private writerError: Error | undefined;

  private constructor(file: string, options: ThreadedSqliteEventStoreOptions) {
    const { appendThreadEntry, onBatch, ...storeOptions } = options;
    super(file, { ...storeOptions, shareCommitsAcrossThreads: true });
    this.writer = new Worker(appendThreadEntry ?? path.join(__dirname, 'append-thread.js'), { workerData: { path: file, options: storeOptions } });
    this.writer.on('message', (message: AppendThreadReply) => {
      if (message.kind === 'batch') onBatch?.(message.report);
      if (message.kind !== 'appended' && message.kind !== 'failed') return;
      const waiting = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.kind === 'appended') waiting?.resolve(message.result);
      else waiting?.reject(receivedError(message.error));
    });
    // A writer that dies fails every append in flight and every later one: never a silent hang.
    this.writer.on('error', (error) => this.failAll(error));
    this.writer.on('exit', () => this.failAll(new Error('the event store writer thread stopped')));
  }

  /** Opens the store and waits until its writer thread is ready. */
  static async open(file: string, options: ThreadedSqliteEventStoreOptions = {}): Promise<ThreadedSqliteEventStore> {
    const store = new ThreadedSqliteEventStore(file, options);
    const [first] = (await once(store.writer, 'message')) as [AppendThreadReply];
    if (first.kind !== 'ready') throw new Error('the event store writer thread did not start');
    return store;
  }

  override append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      const serialized = validateAppend(stream, events, expected);
      if (this.closed) throw new Error('event store is closed');
      if (this.writerError) throw this.writerError;
      const id = this.nextId++;
      return new Promise((resolve, reject) => {
        this.waiting.set(id, { resolve, reject });
        this.writer.postMessage({ kind: 'append', id, stream, events: serialized, expected } satisfies AppendThreadRequest);
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Lets the writer flush what it holds, then closes it and this thread's connection. */
  override close(): Promise<void> {
    this.closed ??= (async () => {
      if (this.writerError === undefined) {
        const closed = once(this.writer, 'exit');
        this.writer.postMessage({ kind: 'close' } satisfies AppendThreadRequest);
        await closed;
      }
      await super.close();
    })();
    return this.closed;
  }

  private failAll(error: Error): void {
    this.writerError ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}
