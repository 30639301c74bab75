import { ConcurrencyError, newEventSizeOf, splitWithin, type AppendResult, type EventStore, type ExpectedRevision, type NewEvent } from '@ledgerline/event-store';
import { unsignedEnvelope, withSignature, ZERO_HASH, type HashSigner, type UnsignedEnvelope } from '@ledgerline/integrity';
import type { CommandContext } from './actor';
import type { LedgerAppendOptions, LedgerAppendPart, LedgerWriter, PendingEvent, SealedAppendResult } from './ledger-writer.port';
import { PerKeyQueue } from './per-key-queue';
import { timeOrderedId } from './time-ordered-id';

/** 'any'/'stream_exists' appends reseal and retry when another writer got there first. */
const MAX_RESEAL_ATTEMPTS = 8;
/** Stream heads this writer last wrote, kept so the next append to them needs no read; least recently written dropped past this. */
const HELD_HEADS = 10_000;

/** A stream's newest event as a chain link: its revision and hash. */
interface Head {
  revision: number;
  hash: string;
}

export interface SealedLedgerWriterOptions {
  clock?: () => Date;
  newId?: () => string;
}

/**
 * The one sealed write path. The expected revision given to the store is always exact (the head
 * the events were chained to), so a stream's chain can never fork, whatever the caller asked for.
 */
export class SealedLedgerWriter implements LedgerWriter {
  /** Appends queued per stream: same-stream appends from this process never race each other. */
  private readonly streamQueue = new PerKeyQueue();
  private readonly heads = new Map<string, Head>();
  private readonly clock: () => Date;
  private readonly newId: () => string;

  constructor(
    private readonly store: EventStore,
    private readonly signer: HashSigner,
    options: SealedLedgerWriterOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.newId = options.newId ?? timeOrderedId;
  }

  async append(stream: string, events: PendingEvent[], expected: ExpectedRevision, context: CommandContext, options: LedgerAppendOptions = {}): Promise<SealedAppendResult> {
    if (events.length === 0) throw new Error(`append to ${stream}: no events`);
    return this.streamQueue.run(stream, () => this.appendNow(stream, events, expected, context, options.atomic !== false));
  }

  get appendsTogetherAtomically(): boolean {
    return this.store.appendAtomically !== undefined;
  }

  async appendTogether(parts: readonly LedgerAppendPart[], context: CommandContext): Promise<SealedAppendResult[]> {
    const appendAtomically = this.store.appendAtomically?.bind(this.store);
    if (appendAtomically === undefined) {
      const results: SealedAppendResult[] = [];
      for (const part of parts) results.push(await this.append(part.stream, part.events, part.expected, context));
      return results;
    }
    for (const part of parts) if (part.events.length === 0) throw new Error(`append to ${part.stream}: no events`);
    if (new Set(parts.map((p) => p.stream)).size !== parts.length) throw new Error('appendTogether: each stream at most once');
    // Every part's stream queue is held, taken in name order so that two such calls cannot wait on each other.
    const streams = parts.map((p) => p.stream).sort();
    const underQueues = (i: number): Promise<SealedAppendResult[]> =>
      i === streams.length ? this.appendTogetherNow(parts, context, appendAtomically) : this.streamQueue.run(streams[i], () => underQueues(i + 1));
    return underQueues(0);
  }

  private async appendTogetherNow(
    parts: readonly LedgerAppendPart[],
    context: CommandContext,
    appendAtomically: NonNullable<EventStore['appendAtomically']>,
  ): Promise<SealedAppendResult[]> {
    const sealing: Promise<NewEvent[]>[] = [];
    for (const part of parts) {
      const head = await this.headFor(part.stream, part.expected, 1);
      assertExpectation(part.stream, part.expected, head?.revision);
      sealing.push(this.seal(part.stream, part.events, head === undefined ? 0 : head.revision + 1, head?.hash ?? ZERO_HASH, context));
    }
    // Every part's signatures are made at once, on the thread pool.
    const sealed = await Promise.all(sealing);
    let results: AppendResult[];
    try {
      results = await appendAtomically(parts.map((part, i) => ({ stream: part.stream, events: sealed[i], expected: part.expected })));
    } catch (error) {
      for (const part of parts) this.heads.delete(part.stream);
      throw error;
    }
    return results.map((result, i) => {
      const events = sealed[i];
      this.hold(parts[i].stream, { revision: result.nextExpectedRevision, hash: events[events.length - 1].metadata.hash as string });
      return { ...result, eventIds: events.map((event) => event.id) };
    });
  }

  /**
   * Other processes may still append to the same stream: 'any'/'stream_exists' reseal on their conflicts.
   * A non-atomic batch goes out in runs that fit the store's per-append limit; each run chains onto the one
   * before, and after a conflict only the events not yet stored are resealed onto the new head.
   */
  private async appendNow(stream: string, events: PendingEvent[], expected: ExpectedRevision, context: CommandContext, atomic: boolean): Promise<SealedAppendResult> {
    const eventIds: string[] = [];
    let pending = events;
    let result: AppendResult | undefined;
    for (let attempt = 1; ; attempt++) {
      const head = await this.headFor(stream, expected, attempt);
      assertExpectation(stream, expected, head?.revision);
      const sealed = await this.seal(stream, pending, head === undefined ? 0 : head.revision + 1, head?.hash ?? ZERO_HASH, context);
      let before: ExpectedRevision = head === undefined ? 'no_stream' : head.revision;
      try {
        for (const run of atomic ? [sealed] : this.runs(stream, sealed)) {
          result = await this.store.append(stream, run, before);
          this.hold(stream, { revision: result.nextExpectedRevision, hash: run[run.length - 1].metadata.hash as string });
          eventIds.push(...run.map((event) => event.id));
          pending = pending.slice(run.length);
          before = result.nextExpectedRevision;
        }
        return { ...result!, eventIds };
      } catch (error) {
        this.heads.delete(stream);
        const mayReseal = expected === 'any' || expected === 'stream_exists';
        if (!(error instanceof ConcurrencyError) || !mayReseal || attempt >= MAX_RESEAL_ATTEMPTS) throw error;
      }
    }
  }

  /** Sealed events in runs that each fit one append of the store (one run when it sets no limit). */
  private runs(stream: string, sealed: NewEvent[]): NewEvent[][] {
    const limit = this.store.maxAppendBytes;
    if (limit === undefined) return [sealed];
    return splitWithin(stream, sealed, limit, newEventSizeOf, (event) => event.id);
  }

  /**
   * The head to chain to. An exact expectation needs no read when it names what is already known:
   * 'no_stream' chains to the genesis hash, a revision this writer wrote last chains to the hash it
   * held. Either way the store checks the same expectation under its write lock, so a head that moved
   * meanwhile (another process) is a ConcurrencyError, never a fork.
   */
  private async headFor(stream: string, expected: ExpectedRevision, attempt: number): Promise<Head | undefined> {
    if (attempt === 1 && expected === 'no_stream') return undefined;
    const held = this.heads.get(stream);
    if (attempt === 1 && held !== undefined && held.revision === expected) return held;
    const last = await this.store.readLastEvent(stream);
    return last === undefined ? undefined : { revision: last.revision, hash: headHash(stream, last.metadata) };
  }

  private hold(stream: string, head: Head): void {
    this.heads.delete(stream);
    this.heads.set(stream, head);
    if (this.heads.size > HELD_HEADS) this.heads.delete(this.heads.keys().next().value as string);
  }

  /**
   * Chains the events (each hash links to the one before, known before any signature), then signs them
   * all, on libuv's thread pool where the signer can: the event loop serves requests while Ed25519 runs.
   */
  private async seal(stream: string, events: PendingEvent[], firstRevision: number, prev: string, context: CommandContext): Promise<NewEvent[]> {
    const time = this.clock().toISOString();
    let prevHash = prev;
    const ids = events.map(() => this.newId());
    const unsigned = events.map((event, offset): UnsignedEnvelope => {
      const envelope = unsignedEnvelope({
        id: ids[offset],
        stream,
        revision: firstRevision + offset,
        type: event.type,
        time,
        actor: context.actor,
        correlationId: context.correlationId,
        causationId: context.causationId,
        data: event.data,
        prevHash,
      });
      prevHash = envelope.hash;
      return envelope;
    });
    const { signer } = this;
    const signatures = await Promise.all(unsigned.map((envelope) => (signer.signAsync ? signer.signAsync(envelope.hash) : signer.sign(envelope.hash))));
    return unsigned.map((envelope, index) => ({
      id: ids[index],
      type: events[index].type,
      data: events[index].data,
      metadata: withSignature(envelope, signatures[index]),
      // Stored as JCS(data), the text dataHash covers: a verifier then hashes it as it is (SPEC §3).
      dataJson: envelope.dataJcs,
    }));
  }
}

function assertExpectation(stream: string, expected: ExpectedRevision, current: number | undefined): void {
  const actual = current ?? 'no_stream';
  const holds =
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    (typeof expected === 'number' && expected === current);
  if (!holds) throw new ConcurrencyError(stream, expected, actual);
}

function headHash(stream: string, metadata: Record<string, unknown>): string {
  const hash = metadata.hash;
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) {
    // An unsealed head would break the chain silently; refuse instead.
    throw new Error(`stream ${stream}: head event carries no envelope hash`);
  }
  return hash;
}
