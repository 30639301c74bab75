import { deciderSpec, rejected } from './decider-spec';
import { meta } from './fixtures';
import type { Decider, DomainCommand, DomainEvent } from '../shared/decider';
import { DomainError } from '../shared/domain-error';

type Counted = DomainEvent<'Counted', { by: number; at?: unknown }>;
type Count = DomainCommand<'Count', { by: number; mode?: 'normal' | 'mutate' | 'undefined-member' | 'date' }>;

/** A toy decider with deliberate defects selectable per command, to prove the helper catches them. */
const counter: Decider<{ total: number; seen: number[] }, Count, Counted> = {
  initialState: () => ({ total: 0, seen: [] }),
  evolve: (state, event) => ({ total: state.total + event.data.by, seen: [...state.seen, event.data.by] }),
  decide: (command, state) => {
    const { by, mode = 'normal' } = command.data;
    if (by <= 0) throw new DomainError('empty-update', 'count by a positive number');
    if (mode === 'mutate') state.seen.push(-1);
    if (mode === 'undefined-member') return [{ type: 'Counted', data: { by, at: undefined } }];
    if (mode === 'date') return [{ type: 'Counted', data: { by, at: new Date(0) } }];
    return [{ type: 'Counted', data: { by } }];
  },
};
const given = deciderSpec(counter);
const count = (by: number, mode?: Count['data']['mode']): Count => ({ type: 'Count', data: { by, ...(mode && { mode }) }, metadata: meta });
const counted = (by: number): Counted => ({ type: 'Counted', data: { by } });

describe('deciderSpec (given/when/then)', () => {
  it('passes on the expected events and returns the next state', () => {
    expect(given([counted(2)]).when(count(3)).then([counted(3)])).toEqual({ total: 5, seen: [2, 3] });
  });

  it('passes on the expected rejection', () => {
    given([]).when(count(0)).then(rejected('empty-update'));
  });

  it('fails on other events', () => {
    expect(() => given([]).when(count(3)).then([counted(4)])).toThrow();
  });

  it('fails when events were expected but the command was rejected', () => {
    expect(() => given([]).when(count(0)).then([counted(0)])).toThrow(DomainError);
  });

  it('fails on another error code, or when nothing was thrown', () => {
    expect(() => given([]).when(count(0)).then(rejected('invalid-id'))).toThrow();
    expect(() => given([]).when(count(1)).then(rejected('empty-update'))).toThrow();
  });

  it('fails when decide() mutates the state', () => {
    expect(() => given([counted(1)]).when(count(1, 'mutate')).then([counted(1)])).toThrow(/must not mutate/);
  });

  it.each([['undefined-member'], ['date']] as const)('fails when an event is not plain JSON (%s)', (mode) => {
    expect(() =>
      given([])
        .when(count(1, mode))
        .then([{ type: 'Counted', data: { by: 1, at: mode === 'date' ? new Date(0) : undefined } }]),
    ).toThrow(/not plain JSON/);
  });
});
