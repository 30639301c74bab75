import { setTimeout as sleep } from 'node:timers/promises';
import type { DataKeyRecord, DataKeyStore, ErasedDataKey, NewDataKey } from '@ledgerline/crypto';

const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);

/**
 * keys.sqlite may be shared by several processes on one DATA_DIR (and the threads of one). A
 * synchronous busy wait would block this thread's event loop for as long as another writer holds
 * the lock, so the key store's connection never waits (busy_timeout 0) and this wrapper retries its
 * writes asynchronously.
 */
export class BusyRetryingDataKeyStore implements DataKeyStore {
  constructor(
    private readonly inner: DataKeyStore,
    private readonly budgetMs = 5_000,
  ) {}

  get(subjectId: string): Promise<DataKeyRecord | undefined> {
    return this.retry(() => this.inner.get(subjectId));
  }

  getByKid(kid: string): Promise<DataKeyRecord | undefined> {
    return this.retry(() => this.inner.getByKid(kid));
  }

  create(subjectId: string, candidate: NewDataKey): Promise<DataKeyRecord> {
    return this.retry(() => this.inner.create(subjectId, candidate));
  }

  /** destroy() is idempotent, so repeating it after a busy WAL checkpoint is safe. */
  destroy(subjectId: string): Promise<ErasedDataKey> {
    return this.retry(() => this.inner.destroy(subjectId));
  }

  isErased(subjectId: string): Promise<boolean> {
    return this.retry(() => this.inner.isErased(subjectId));
  }

  private async retry<T>(work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.budgetMs;
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      try {
        return await work();
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code !== 'string' || !BUSY_CODES.has(code) || Date.now() >= deadline) throw error;
      }
      await sleep(delay);
    }
  }
}
