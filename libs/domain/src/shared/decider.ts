/** A domain event before it is sealed and stored: `data` is a JSON-serialisable plain object. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
}

/** What the command handler knows that a pure decider must not look up itself. */
export interface CommandMetadata {
  /** The command's time: UTC, RFC 3339 with milliseconds and Z (e.g. 2026-11-28T01:18:20.123Z). */
  now: string;
}

export interface DomainCommand<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
  metadata: CommandMetadata;
}

/** An Emmett-style decider: pure functions, so a stream's state is the fold of its events. */
export interface Decider<State, Command extends DomainCommand, Event extends DomainEvent> {
  /** Returns the events the command causes (possibly none); throws a DomainError on rejection. */
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Folds events into a state with the decider's evolve, from its initial state. */
export function foldEvents<State, Event extends DomainEvent>(
  decider: Pick<Decider<State, never, Event>, 'evolve' | 'initialState'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
