import assert from 'node:assert/strict';
import { foldEvents, type Decider, type DomainCommand, type DomainEvent } from '../shared/decider';
import { DomainError, isDomainError } from '../shared/domain-error';

/**
 * Given/when/then for a decider: `given(events).when(command).then(expectedEvents | expectedError)`.
 * Besides the expected outcome it checks what every decider owes: decide() leaves the state
 * untouched, and emitted events survive a JSON round trip unchanged (no undefined, Date or bigint).
 * `then` returns the state after the emitted events, for follow-up assertions.
 * Test-only: uses node:assert so it stays independent of the test runner; not exported from index.ts.
 */
export function deciderSpec<State, Command extends DomainCommand, Event extends DomainEvent>(
  decider: Decider<State, Command, Event>,
) {
  return function given(history: Event[]) {
    return {
      when(command: Command) {
        return {
          then(expected: Event[] | DomainError): State {
            const state = foldEvents(decider, history);
            const run = () => decider.decide(command, state);
            if (expected instanceof DomainError) {
              assert.throws(run, (error: unknown) => {
                assert.ok(isDomainError(error), `expected a DomainError, got ${String(error)}`);
                assert.equal(error.code, expected.code);
                assert.equal(error.category, expected.category);
                return true;
              });
              assert.deepEqual(state, foldEvents(decider, history), 'decide() must not mutate the state');
              return state;
            }
            const events = run();
            assert.deepEqual(state, foldEvents(decider, history), 'decide() must not mutate the state');
            assert.deepEqual(events, expected);
            for (const event of events) {
              assert.deepEqual(JSON.parse(JSON.stringify(event)), event, `${event.type} is not plain JSON`);
            }
            return events.reduce(decider.evolve, state);
          },
        };
      },
    };
  };
}

/** An expected rejection for `then(...)`: only code and category are compared. */
export function rejected(code: ConstructorParameters<typeof DomainError>[0]): DomainError {
  return new DomainError(code, 'expected');
}
