/** FIFO mutual exclusion for async critical sections on one connection. */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `fn` after every earlier holder has finished (whether it resolved or threw). */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once everything queued so far has finished. */
  idle(): Promise<void> {
    return this.tail;
  }
}
