/** The part of a Readable this needs (the client is typed against its own copy of @types/node). */
export interface PullableRead {
  read(): unknown;
  on(event: 'readable' | 'error', listener: (error: Error) => void): unknown;
  once(event: 'end', listener: () => void): unknown;
  off(event: 'readable', listener: () => void): unknown;
  resume(): unknown;
  cancel(): Promise<void>;
}

/**
 * Iterates one bounded client read (a page), pulling an item only when the consumer asks for it.
 *
 * When the consumer stops early the read is cancelled (a no-op for a call already complete) and what
 * is buffered flows away, but the stream is never destroyed: client v6's `dispose()` waits forever for a
 * call whose data sits unread in a destroyed stream. Cancelling costs an HTTP/2 stream reset and servers
 * cut connections that reset too often, so the store's own reads size their pages to end on their own
 * and only a consumer's early break lands here. When `signal` aborts (the store is closing), every read
 * is let go at once and its consumer gets the signal's reason on its next pull.
 */
export async function* pullRead<T>(read: PullableRead, signal: AbortSignal): AsyncGenerator<T> {
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const poke = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  read.on('readable', poke);
  read.once('end', () => {
    ended = true;
    poke();
  });
  // Stays attached after the loop: a late error must not become an unhandled 'error' event.
  read.on('error', (error: Error) => {
    failure ??= error;
    poke();
  });
  // Lets the call go (see above). Done at once when the store closes: a consumer suspended mid-page may
  // never come back, and dispose() must not be left waiting for its call.
  const abandon = async (): Promise<void> => {
    read.off('readable', poke);
    read.resume();
    await read.cancel().catch(() => undefined);
  };
  const onAbort = (): void => {
    void abandon();
    poke();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  let complete = false;
  try {
    for (;;) {
      signal.throwIfAborted();
      const item = read.read() as T | null;
      if (item !== null) {
        yield item;
        continue;
      }
      if (failure) throw failure;
      if (ended) {
        complete = true;
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (!complete && !failure && !signal.aborted) await abandon();
  }
}
