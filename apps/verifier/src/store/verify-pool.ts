import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChunkResult } from './chunk-result';
import type { CloseWorker, VerifyTask, WorkerSetup } from './verify-task';

interface Pending {
  task: VerifyTask;
  resolve(result: ChunkResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  running: Map<number, Pending>;
}

/** Tasks a worker holds at once: one being verified, one waiting, so it never idles while the main thread catches up. */
const PER_WORKER = 2;
/** How long close() lets a worker finish the tasks it holds (at most two slices) before stopping it. */
const CLOSE_GRACE_MS = 10_000;

/**
 * A fixed set of verify workers (compiled `verify.worker.js` next to this file) fed from one FIFO
 * queue. Results come back as promises; the caller consumes them in log order.
 */
export class VerifyPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private failure: Error | undefined;
  private closing = false;

  constructor(setup: Omit<WorkerSetup, 'worker'>, workers: number) {
    const file = path.join(__dirname, 'verify.worker.js');
    for (let i = 0; i < workers; i++) {
      const slot: Slot = { worker: new Worker(file, { workerData: { ...setup, worker: i } satisfies WorkerSetup }), running: new Map() };
      slot.worker.on('message', (message: { seq: number; result?: ChunkResult; error?: string }) => this.settle(slot, message));
      slot.worker.on('error', (error) => this.crash(error));
      slot.worker.on('exit', (code) => {
        if (!this.closing && (code !== 0 || slot.running.size > 0)) this.crash(new Error(`verify worker exited with code ${code}`));
      });
      this.slots.push(slot);
    }
  }

  run(task: VerifyTask): Promise<ChunkResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Lets each worker finish the tasks it holds and end on its own; terminate() only past the grace time.
   * A thread stopped mid-way through asynchronous native work (its JWKS import is WebCrypto on the thread
   * pool) is a known way to abort a whole Node process, and a run that found a failure early closes the
   * pool while workers may still be starting.
   */
  async close(): Promise<void> {
    this.closing = true;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((slot) => endWorker(slot.worker)));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let best: Slot | undefined;
      for (const slot of this.slots) if (slot.running.size < PER_WORKER && (!best || slot.running.size < best.running.size)) best = slot;
      if (!best) return;
      const next = this.queue.shift() as Pending;
      best.running.set(next.task.seq, next);
      best.worker.postMessage(next.task);
    }
  }

  private settle(slot: Slot, message: { seq: number; result?: ChunkResult; error?: string }): void {
    const pending = slot.running.get(message.seq);
    if (!pending) return;
    slot.running.delete(message.seq);
    if (message.result) pending.resolve(message.result);
    else pending.reject(new Error(`verify worker failed: ${message.error ?? 'no result'}`));
    this.dispatch();
  }

  private crash(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const slot of this.slots) {
      for (const pending of slot.running.values()) pending.reject(error);
      slot.running.clear();
    }
    for (const pending of this.queue.splice(0)) pending.reject(error);
  }
}

function endWorker(worker: Worker): Promise<void> {
  if (worker.threadId === -1) return Promise.resolve(); // already exited
  return new Promise((resolve) => {
    const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.postMessage({ close: true } satisfies CloseWorker);
  });
}
