import { actorFor, commandContextFor, correlationIdFor, nextCommandContext } from './command-context';
import type { Principal } from './principal';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const alice: Principal = { userId: 'user_alice', sessionId: 'sess_1', org: 'org_1', secondFactorAgeMinutes: 2, roles: ['user'] };

describe('command context', () => {
  it('makes a user actor with identifiers only', () => {
    expect(actorFor(alice)).toEqual({ kind: 'user', id: 'user_alice', session: 'sess_1', org: 'org_1', mfa: true });
    expect(actorFor({ ...alice, org: undefined, secondFactorAgeMinutes: null })).toEqual({ kind: 'user', id: 'user_alice', session: 'sess_1', mfa: false });
  });

  it('correlates by the request id when it is a UUID, else by a new one', () => {
    const id = 'A1B2C3D4-0000-4000-8000-00000000000F';
    expect(correlationIdFor(id)).toBe(id.toLowerCase());
    const minted = correlationIdFor('client-abc.1');
    expect(minted).toMatch(UUID);
    expect(correlationIdFor(undefined)).toMatch(UUID);
  });

  it('correlates by the request id it is given and gives every command its own causation id', () => {
    const requestId = '7f3e0a52-3b1c-4c1e-9d7e-1a2b3c4d5e6f';
    const first = commandContextFor(alice, requestId);
    expect(first.correlationId).toBe(requestId);
    expect(first.causationId).toMatch(UUID);
    const second = nextCommandContext(first);
    expect(second).toMatchObject({ actor: first.actor, correlationId: requestId });
    expect(second.causationId).not.toBe(first.causationId);
  });
});
