import fc from 'fast-check';
import type { AccountCommand } from './account.commands';
import { accountDecider, initialAccountState, type AccountState } from './account.decider';
import type { AccountEvent } from './account.events';
import { accountStreamName, isAccountEvent } from './account.events';
import { foldEvents } from '../shared/decider';
import { DomainError, isDomainError } from '../shared/domain-error';
import { deciderSpec, rejected } from '../testing/decider-spec';
import { meta, NOW, sealed } from '../testing/fixtures';

const given = deciderSpec(accountDecider);
const USER = 'user_2ab';

const update = (data: Omit<Extract<AccountCommand, { type: 'UpdateProfile' }>['data'], 'userId'>, userId = USER): AccountCommand => ({
  type: 'UpdateProfile',
  data: { userId, ...data },
  metadata: meta,
});
const erase = (userId = USER, now = NOW): AccountCommand => ({ type: 'EraseSubject', data: { userId }, metadata: { now } });
const profileUpdated = (data: Omit<Extract<AccountEvent, { type: 'ProfileUpdated' }>['data'], 'userId'>): AccountEvent => ({
  type: 'ProfileUpdated',
  data: { userId: USER, ...data },
});
const subjectErased: AccountEvent = { type: 'SubjectErased', data: { userId: USER, erasedAt: NOW } };

describe('account decider', () => {
  describe('UpdateProfile', () => {
    it('starts the account with only the given members', () => {
      const state = given([])
        .when(update({ displayName: sealed('Ada') }))
        .then([profileUpdated({ displayName: sealed('Ada') })]);
      expect(state).toEqual<AccountState>({
        ...initialAccountState(),
        exists: true,
        userId: USER,
        displayName: sealed('Ada'),
      });
    });

    it('sets and clears several members at once, leaving the others', () => {
      const state = given([profileUpdated({ displayName: sealed('Ada'), email: sealed('a@x.io') })])
        .when(update({ email: null, phone: sealed('+4420') }))
        .then([profileUpdated({ email: null, phone: sealed('+4420') })]);
      expect(state).toMatchObject({ displayName: sealed('Ada'), email: null, phone: sealed('+4420') });
    });

    it('copies only the $jwe member into the event', () => {
      const value = sealed('Ada');
      const [event] = accountDecider.decide(update({ displayName: value }), initialAccountState());
      expect(event.type === 'ProfileUpdated' && event.data.displayName).not.toBe(value);
    });

    it('rejects a command with no profile member', () => {
      given([]).when(update({})).then(rejected('empty-update'));
    });

    it('treats explicitly undefined members as absent', () => {
      given([]).when(update({ email: undefined })).then(rejected('empty-update'));
    });

    it.each([
      ['a plaintext string', 'ada@example.org'],
      ['an object without $jwe', { value: 'x' }],
      ['a $jwe that is not JWE compact', { $jwe: 'ada@example.org' }],
      ['a $jwe with extra members', { ...sealed('x'), plain: 'ada' }],
    ])('rejects %s as a profile value', (_what, value) => {
      given([])
        .when(update({ email: value as never }))
        .then(rejected('invalid-encrypted-value'));
    });

    it.each([
      ['empty', ''],
      ['a number', 42],
      ['with a control character', 'a\nb'],
      ['longer than 255', 'x'.repeat(256)],
    ])('rejects a user id: %s', (_what, userId) => {
      given([])
        .when(update({ phone: null }, userId as never))
        .then(rejected('invalid-id'));
    });

    it('rejects a command for another user than the stream holds', () => {
      given([profileUpdated({ phone: null })])
        .when(update({ phone: null }, 'user_other'))
        .then(rejected('stream-mismatch'));
    });

    it('is gone after erasure', () => {
      given([profileUpdated({ email: sealed('a@x.io') }), subjectErased])
        .when(update({ email: sealed('b@x.io') }))
        .then(rejected('subject-erased'));
    });

    it('answers gone after erasure even for a malformed command', () => {
      given([subjectErased]).when(update({})).then(rejected('subject-erased'));
    });
  });

  describe('EraseSubject', () => {
    it('erases with the metadata time and forgets the ciphertext', () => {
      const state = given([profileUpdated({ displayName: sealed('Ada'), email: sealed('a@x.io'), phone: sealed('+1') })])
        .when(erase())
        .then([subjectErased]);
      expect(state).toEqual<AccountState>({
        exists: true,
        erased: true,
        userId: USER,
        erasedAt: NOW,
        displayName: null,
        email: null,
        phone: null,
      });
    });

    it('erases a subject who never wrote a profile (they may still own documents)', () => {
      given([]).when(erase()).then([subjectErased]);
    });

    it('is gone when erased twice', () => {
      given([subjectErased]).when(erase()).then(rejected('subject-erased'));
    });

    it.each([['2026-11-28T01:18:20Z'], ['2026-11-28 01:18:20.123Z'], ['2026-13-28T01:18:20.123Z'], ['']])(
      'rejects the command time %j',
      (now) => {
        given([]).when(erase(USER, now)).then(rejected('invalid-time'));
      },
    );

    it('rejects a missing metadata time', () => {
      expect(() => accountDecider.decide({ type: 'EraseSubject', data: { userId: USER } } as never, initialAccountState())).toThrow(
        expect.objectContaining({ code: 'invalid-time', category: 'validation' }),
      );
    });

    it('rejects erasing another user than the stream holds', () => {
      given([profileUpdated({ phone: null })]).when(erase('user_other')).then(rejected('stream-mismatch'));
    });
  });

  it('rejects an unknown command type', () => {
    given([])
      .when({ type: 'DeleteEverything', data: { userId: USER }, metadata: meta } as never)
      .then(rejected('unknown-command'));
  });

  it('ignores an event type it does not know', () => {
    const state = initialAccountState();
    expect(accountDecider.evolve(state, { type: 'SomethingNew', data: {} } as never)).toBe(state);
  });

  it('names the stream and recognises its events', () => {
    expect(accountStreamName(USER)).toBe('account-user_2ab');
    expect(isAccountEvent(subjectErased)).toBe(true);
    expect(isAccountEvent({ type: 'DocumentCreated' })).toBe(false);
  });

  it('property: the fold of accepted events matches a reference model, and erasure is final', () => {
    const value = fc.option(fc.constantFrom('a', 'b', 'c').map(sealed), { nil: null });
    const member = fc.option(value, { nil: undefined, freq: 2 });
    const command: fc.Arbitrary<AccountCommand> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ displayName: member, email: member, phone: member }).map((d) => update(stripUndefined(d))) },
      { weight: 1, arbitrary: fc.constant(erase()) },
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 20, size: 'max' }), (commands) => {
        let state = accountDecider.initialState();
        const log: AccountEvent[] = [];
        const model = { erased: false, displayName: null, email: null, phone: null } as Record<string, unknown>;
        for (const cmd of commands) {
          let events: AccountEvent[];
          try {
            events = accountDecider.decide(cmd, state);
          } catch (error) {
            expect(isDomainError(error)).toBe(true);
            const code = (error as DomainError).code;
            if (model.erased) expect(code).toBe('subject-erased');
            else expect(code).toBe('empty-update');
            continue;
          }
          expect(model.erased).toBe(false);
          expect(events).toHaveLength(1);
          if (cmd.type === 'EraseSubject') {
            Object.assign(model, { erased: true, displayName: null, email: null, phone: null });
          } else {
            for (const [k, v] of Object.entries(cmd.data)) if (k !== 'userId') model[k] = v;
          }
          log.push(...events);
          state = events.reduce(accountDecider.evolve, state);
        }
        expect(foldEvents(accountDecider, log)).toEqual(state);
        expect({ erased: state.erased, displayName: state.displayName, email: state.email, phone: state.phone }).toEqual(model);
      }),
    );
  });
});

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
