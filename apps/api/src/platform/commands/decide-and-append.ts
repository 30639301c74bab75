import { setTimeout as sleep } from 'node:timers/promises';
import type { DomainEvent } from '@ledgerline/domain';
import { ConcurrencyError, type EventStore } from '@ledgerline/event-store';
import type { CommandContext, LedgerWriter } from '@ledgerline/ledger';
import { evolveAll, loadStream, type Folding, type LoadedStream } from './loaded-stream';
import { pendingEvents } from './pending-events';
import { PreconditionFailedError } from './precondition-failed.error';
import { WriteContentionError } from './write-contention.error';

/**
 * Tries of a command without If-Match when another writer appended to the stream first. Each round
 * one of the racers wins, so n concurrent writers of one stream need up to n tries; a short random
 * pause spreads the losers out.
 */
const ATTEMPTS_WITHOUT_EXPECTATION = 10;
const BACKOFF_MS = 5;

export interface DecideAndAppendOptions<State, Event> {
  store: EventStore;
  writer: LedgerWriter;
  stream: string;
  decider: Folding<State>;
  context: CommandContext;
  /**
   * Runs the command against the folded stream and returns its events (possibly none). It does the
   * handler's own work first (authorise, encrypt for the subject) and then calls the pure decider.
   */
  decide(loaded: LoadedStream<State>): Promise<Event[]> | Event[];
  /** The revision the client based its change on (If-Match); a different one is refused with 412. */
  expectedRevision?: number;
  /** Where to start folding (a snapshot at some revision); default: the stream's beginning. */
  snapshot?: () => Promise<LoadedStream<State> | undefined>;
}

export interface DecideAndAppendResult<State> {
  /** The state after the command (unchanged when it caused no event). */
  state: State;
  /** Stream revision and global position after the command (of the newest event when nothing was written). */
  revision: number | undefined;
  position: bigint | undefined;
  written: number;
  firstTime: string | undefined;
}

/**
 * The thin command handler body: load stream → fold → decide → append with the exact revision the
 * state was folded at. A client expectation (If-Match) turns any conflict into 412; without one, a
 * concurrent append just means deciding again on the fresher state.
 */
export async function decideAndAppend<State, Event extends DomainEvent>(
  options: DecideAndAppendOptions<State, Event>,
): Promise<DecideAndAppendResult<State>> {
  const { store, writer, stream, decider, context, expectedRevision } = options;
  for (let attempt = 1; ; attempt++) {
    const loaded = await loadStream(store, stream, decider, await options.snapshot?.());
    const events = await options.decide(loaded);
    // Checked after decide, so a caller who may not see the stream gets its not-found, never a 412.
    if (expectedRevision !== undefined && expectedRevision !== loaded.revision) throw new PreconditionFailedError();
    if (events.length === 0) {
      return { state: loaded.state, revision: loaded.revision, position: loaded.position, written: 0, firstTime: loaded.firstTime };
    }
    try {
      const result = await writer.append(
        stream,
        pendingEvents(events),
        loaded.revision ?? 'no_stream',
        context,
      );
      return {
        state: evolveAll(decider, loaded.state, events),
        revision: result.nextExpectedRevision,
        position: result.position,
        written: events.length,
        firstTime: loaded.firstTime,
      };
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      if (expectedRevision !== undefined) throw new PreconditionFailedError();
      if (attempt >= ATTEMPTS_WITHOUT_EXPECTATION) throw new WriteContentionError();
      await sleep(Math.random() * BACKOFF_MS * attempt);
    }
  }
}
