import type { DomainEvent } from '@ledgerline/domain';
import type { EventStore, RecordedEvent } from '@ledgerline/event-store';

/** A stream folded with a decider, with what HTTP answers need besides the state. */
export interface LoadedStream<State> {
  state: State;
  /** Revision of the newest event (the ETag); undefined when the stream does not exist. */
  revision: number | undefined;
  /** Global position of the newest event (what X-Consistent-After waits for). */
  position: bigint | undefined;
  /** Envelope time of the first and of the newest event. */
  firstTime: string | undefined;
  lastTime: string | undefined;
}

export interface Folding<State> {
  initialState(): State;
  evolve(state: State, event: never): State;
}

/**
 * Folds a stream with a decider. From `snapshot` (the state folded up to its revision, e.g. kept by a read
 * model) only the events after it are read, so the cost is the snapshot's lag, not the stream's length;
 * the revision (the ETag) is still the store's own. Without one, the whole stream is read.
 */
export async function loadStream<State>(store: EventStore, stream: string, decider: Folding<State>, snapshot?: LoadedStream<State>): Promise<LoadedStream<State>> {
  let state = snapshot?.state ?? decider.initialState();
  let last: RecordedEvent | undefined;
  let firstTime = snapshot?.firstTime;
  const from = snapshot?.revision === undefined ? undefined : { fromRevision: snapshot.revision + 1 };
  for await (const event of store.readStream(stream, from)) {
    state = decider.evolve(state, event as unknown as never);
    firstTime ??= timeOf(event);
    last = event;
  }
  if (last === undefined && snapshot !== undefined) return { ...snapshot, state };
  return { state, revision: last?.revision, position: last?.position, firstTime, lastTime: last && timeOf(last) };
}

/** Applies freshly decided events to a state, as the next load would. */
export function evolveAll<State, Event extends DomainEvent>(decider: Folding<State>, state: State, events: readonly Event[]): State {
  return events.reduce((s, e) => decider.evolve(s, e as never), state);
}

function timeOf(event: RecordedEvent): string | undefined {
  return typeof event.metadata.time === 'string' ? event.metadata.time : undefined;
}
