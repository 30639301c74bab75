import type { KeyMap } from '../keys/jwks';
import type { EventFailureReason, StoredEvent } from './envelope.types';
import { StreamHeads, type LinkFailureReason } from './stream-heads';
import { verifyEvent, type VerifyEventOptions } from './verify-event';

export type ChainFailureReason = EventFailureReason | LinkFailureReason | 'stream';

export type ChainVerification =
  | { ok: true; count: number; head?: { revision: number; hash: string } }
  | { ok: false; count: number; revision: number; reason: ChainFailureReason; detail: string };

/**
 * Verifies one whole stream read in revision order: revisions 0..n without a gap, every event's
 * envelope (verifyEvent) and every prev link. Stops at the first failure and names its revision;
 * `count` is the number of events that verified before it.
 */
export function verifyChain(events: Iterable<StoredEvent>, keys: KeyMap, options: VerifyEventOptions = {}): ChainVerification {
  const chain = new ChainCheck(keys, options);
  for (const event of events) {
    const failure = chain.next(event);
    if (failure) return failure;
  }
  return chain.result();
}

/** verifyChain over an async source (a store's readStream). */
export async function verifyChainAsync(events: AsyncIterable<StoredEvent>, keys: KeyMap, options: VerifyEventOptions = {}): Promise<ChainVerification> {
  const chain = new ChainCheck(keys, options);
  for await (const event of events) {
    const failure = chain.next(event);
    if (failure) return failure;
  }
  return chain.result();
}

class ChainCheck {
  private readonly heads = new StreamHeads();
  private stream: string | undefined;
  private count = 0;

  constructor(
    private readonly keys: KeyMap,
    private readonly options: VerifyEventOptions,
  ) {}

  next(event: StoredEvent): ChainVerification | undefined {
    const fail = (reason: ChainFailureReason, detail: string): ChainVerification => ({ ok: false, count: this.count, revision: event.revision, reason, detail });
    if (this.stream === undefined) this.stream = event.stream;
    else if (event.stream !== this.stream) return fail('stream', `event of stream ${event.stream} inside stream ${this.stream}`);
    const verified = verifyEvent(event, this.keys, this.options);
    if (!verified.ok) return fail(verified.reason, verified.detail);
    const metadata = event.metadata as { prev: string; hash: string };
    const link = this.heads.link(event.stream, event.revision, metadata.prev, metadata.hash, true);
    if (link) return fail(link.reason, link.detail);
    this.count++;
    return undefined;
  }

  result(): ChainVerification {
    const head = this.stream === undefined ? undefined : this.heads.head(this.stream);
    return head ? { ok: true, count: this.count, head } : { ok: true, count: this.count };
  }
}
