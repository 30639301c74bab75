import { setImmediate as nextTurn } from 'node:timers/promises';

/** Longest stretch of synchronous work before other requests get the event loop back. */
const SLICE_MS = 10;

/**
 * Re-yields `source`, giving the event loop a turn every few milliseconds. The embedded store reads
 * synchronously and Ed25519 verification is CPU work: without this, checking a long stream would
 * stall every other request (async iteration alone only yields to microtasks).
 */
export async function* yieldingEvery<T>(source: AsyncIterable<T>, sliceMs = SLICE_MS): AsyncGenerator<T> {
  let sliceStart = performance.now();
  for await (const item of source) {
    yield item;
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}
