import fc from 'fast-check';
import type { AccessCommand } from './access.commands';
import { accessDecider, initialAccessState, rolesOf } from './access.decider';
import { ACCESS_STREAM, isAccessEvent, isRole, ROLES, type AccessEvent, type Role, type RoleActor } from './access.events';
import { foldEvents } from '../shared/decider';
import { isDomainError } from '../shared/domain-error';
import { deciderSpec, rejected } from '../testing/decider-spec';
import { meta } from '../testing/fixtures';

const given = deciderSpec(accessDecider);
const SYSTEM: RoleActor = { kind: 'system', id: 'bootstrap' };
const ALICE = 'user_alice';
const BOB = 'user_bob';
const CAROL = 'user_carol';
const by = (id: string): RoleActor => ({ kind: 'user', id });

const grant = (userId: string, role: string, grantedBy: RoleActor): AccessCommand => ({
  type: 'GrantRole',
  data: { userId, role, grantedBy },
  metadata: meta,
});
const revoke = (userId: string, role: string, revokedBy: RoleActor): AccessCommand => ({
  type: 'RevokeRole',
  data: { userId, role, revokedBy },
  metadata: meta,
});
const granted = (userId: string, role: Role, grantedBy: RoleActor): AccessEvent => ({
  type: 'RoleGranted',
  data: { userId, role, grantedBy },
});
const revoked = (userId: string, role: Role, revokedBy: RoleActor): AccessEvent => ({
  type: 'RoleRevoked',
  data: { userId, role, revokedBy },
});
const aliceAdmin = granted(ALICE, 'admin', SYSTEM);

describe('access decider', () => {
  describe('GrantRole', () => {
    it('lets the system bootstrap the first admin', () => {
      const state = given([]).when(grant(ALICE, 'admin', SYSTEM)).then([aliceAdmin]);
      expect(rolesOf(state, ALICE)).toEqual(['admin']);
    });

    it('lets the system grant a role to a user whose id equals the system actor id', () => {
      given([])
        .when(grant('bootstrap', 'compliance', SYSTEM))
        .then([granted('bootstrap', 'compliance', SYSTEM)]);
    });

    it('lets one user grant a role to another', () => {
      const state = given([aliceAdmin])
        .when(grant(BOB, 'compliance', by(ALICE)))
        .then([granted(BOB, 'compliance', by(ALICE))]);
      expect(rolesOf(state, BOB)).toEqual(['compliance']);
    });

    it('refuses a user granting a role to themself', () => {
      given([aliceAdmin]).when(grant(ALICE, 'compliance', by(ALICE))).then(rejected('self-grant'));
    });

    it('refuses a self-grant even of a role already held', () => {
      given([aliceAdmin]).when(grant(ALICE, 'admin', by(ALICE))).then(rejected('self-grant'));
    });

    it('is idempotent for a role already held', () => {
      given([aliceAdmin]).when(grant(ALICE, 'admin', SYSTEM)).then([]);
      given([aliceAdmin, granted(BOB, 'admin', by(ALICE))]).when(grant(BOB, 'admin', by(ALICE))).then([]);
    });

    it('rejects an unknown role', () => {
      given([aliceAdmin]).when(grant(BOB, 'superuser', by(ALICE))).then(rejected('unknown-role'));
    });

    it.each([['toString'], ['__proto__'], ['user'], ['Admin']])('rejects the role name %j', (role) => {
      given([aliceAdmin]).when(grant(BOB, role, by(ALICE))).then(rejected('unknown-role'));
    });

    it.each([
      ['no actor', undefined],
      ['an unknown actor kind', { kind: 'webhook', id: 'x' }],
      ['an actor without id', { kind: 'user', id: '' }],
    ])('rejects %s', (_what, actor) => {
      given([]).when(grant(BOB, 'admin', actor as never)).then(rejected('invalid-actor'));
    });

    it('records only kind and id of the actor', () => {
      given([])
        .when(grant(BOB, 'admin', { kind: 'system', id: 'bootstrap', note: 'x' } as RoleActor))
        .then([granted(BOB, 'admin', SYSTEM)]);
    });

    it('rejects an empty user id', () => {
      given([]).when(grant('', 'admin', SYSTEM)).then(rejected('invalid-id'));
    });
  });

  describe('RevokeRole', () => {
    const twoAdmins = [aliceAdmin, granted(BOB, 'admin', by(ALICE))];

    it('revokes an admin while another admin remains', () => {
      const state = given(twoAdmins).when(revoke(BOB, 'admin', by(ALICE))).then([revoked(BOB, 'admin', by(ALICE))]);
      expect(rolesOf(state, BOB)).toEqual([]);
      expect(rolesOf(state, ALICE)).toEqual(['admin']);
    });

    it('lets an admin step down while another admin remains', () => {
      given(twoAdmins).when(revoke(ALICE, 'admin', by(ALICE))).then([revoked(ALICE, 'admin', by(ALICE))]);
    });

    it('refuses to revoke the last admin', () => {
      given(twoAdmins.concat(revoked(BOB, 'admin', by(ALICE))))
        .when(revoke(ALICE, 'admin', by(ALICE)))
        .then(rejected('last-admin'));
    });

    it('refuses to revoke the last admin, even for the system', () => {
      given([aliceAdmin]).when(revoke(ALICE, 'admin', SYSTEM)).then(rejected('last-admin'));
    });

    it('revokes the last compliance officer (only admin is protected)', () => {
      given([aliceAdmin, granted(CAROL, 'compliance', by(ALICE))])
        .when(revoke(CAROL, 'compliance', by(ALICE)))
        .then([revoked(CAROL, 'compliance', by(ALICE))]);
    });

    it('emits nothing when the role is not held', () => {
      given([aliceAdmin]).when(revoke(BOB, 'admin', by(ALICE))).then([]);
      given([aliceAdmin]).when(revoke(ALICE, 'compliance', by(ALICE))).then([]);
    });

    it('rejects an unknown role', () => {
      given([aliceAdmin]).when(revoke(ALICE, 'root', by(ALICE))).then(rejected('unknown-role'));
    });

    it('rejects an invalid actor', () => {
      given(twoAdmins).when(revoke(BOB, 'admin', { kind: 'robot', id: 'r' } as never)).then(rejected('invalid-actor'));
    });
  });

  it('lists roles in a stable order', () => {
    const state = foldEvents(accessDecider, [granted(BOB, 'compliance', SYSTEM), granted(BOB, 'admin', SYSTEM)]);
    expect(rolesOf(state, BOB)).toEqual(['admin', 'compliance']);
    expect(rolesOf(state, CAROL)).toEqual([]);
  });

  it('rejects an unknown command type', () => {
    given([]).when({ type: 'PromoteEveryone', data: {}, metadata: meta } as never).then(rejected('unknown-command'));
  });

  it('ignores an event type it does not know, and a role it does not know', () => {
    const state = initialAccessState();
    expect(accessDecider.evolve(state, { type: 'RoleRenamed', data: {} } as never)).toBe(state);
    expect(accessDecider.evolve(state, granted(BOB, 'auditor' as Role, SYSTEM))).toBe(state);
  });

  it('names the single stream and its vocabulary', () => {
    expect(ACCESS_STREAM).toBe('access-roles');
    expect(ROLES).toEqual(['admin', 'compliance']);
    expect(isRole('admin')).toBe(true);
    expect(isRole('constructor')).toBe(false);
    expect(isAccessEvent(aliceAdmin)).toBe(true);
    expect(isAccessEvent({ type: 'DocumentCreated' })).toBe(false);
  });

  it('property: once there is an admin there is always one, self-grants never pass, and the fold matches', () => {
    const users = [ALICE, BOB, CAROL];
    const user = fc.constantFrom(...users);
    const actor: fc.Arbitrary<RoleActor> = fc.oneof(fc.constant(SYSTEM), user.map(by));
    const role = fc.constantFrom<string>('admin', 'admin', 'compliance', 'owner');
    const command: fc.Arbitrary<AccessCommand> = fc.oneof(
      fc.tuple(user, role, actor).map(([u, r, a]) => grant(u, r, a)),
      fc.tuple(user, role, actor).map(([u, r, a]) => revoke(u, r, a)),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40, size: 'max' }), (commands) => {
        let state = accessDecider.initialState();
        const log: AccessEvent[] = [];
        let hadAdmin = false;
        for (const cmd of commands) {
          const before = new Set(state.holders.admin);
          let events: AccessEvent[];
          try {
            events = accessDecider.decide(cmd, state);
          } catch (error) {
            if (!isDomainError(error)) throw error;
            const { data } = cmd;
            const actorOf = cmd.type === 'GrantRole' ? cmd.data.grantedBy : cmd.data.revokedBy;
            if (!isRole(data.role)) expect(error.code).toBe('unknown-role');
            else if (cmd.type === 'GrantRole') expect([error.code, actorOf]).toEqual(['self-grant', by(data.userId)]);
            else expect([error.code, [...before]]).toEqual(['last-admin', [data.userId]]);
            continue;
          }
          const held = isRole(cmd.data.role) && state.holders[cmd.data.role].has(cmd.data.userId);
          // Idempotent: a grant of a held role or a revoke of an unheld one changes nothing.
          expect(events).toHaveLength((cmd.type === 'GrantRole') === held ? 0 : 1);
          log.push(...events);
          state = events.reduce(accessDecider.evolve, state);
          if (state.holders.admin.size > 0) hadAdmin = true;
          if (hadAdmin) expect(state.holders.admin.size).toBeGreaterThan(0);
        }
        for (const event of log) {
          if (event.type === 'RoleGranted' && event.data.grantedBy.kind === 'user') {
            expect(event.data.grantedBy.id).not.toBe(event.data.userId);
          }
        }
        expect(foldEvents(accessDecider, log)).toEqual(state);
      }),
      { numRuns: 300 },
    );
  });
});
