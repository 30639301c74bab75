import { AuthenticationFailure } from './authentication.errors';
import { sessionFromClaims } from './session-claims';

const NOW = Date.parse('2026-11-28T01:18:20.000Z');
const iat = NOW / 1000;
const base = { sub: 'user_alice', sid: 'sess_1', iat };

function reasonOf(claims: Record<string, unknown>): string {
  try {
    sessionFromClaims(claims, NOW);
  } catch (error) {
    if (error instanceof AuthenticationFailure) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('sessionFromClaims', () => {
  it('reads user, session, organisation and second-factor age', () => {
    expect(sessionFromClaims({ ...base, v: 2, fva: [12, 3], sts: 'active', o: { id: 'org_1', rol: 'admin' } }, NOW)).toEqual({
      userId: 'user_alice',
      sessionId: 'sess_1',
      org: 'org_1',
      secondFactorAgeMinutes: 3,
    });
    expect(sessionFromClaims({ ...base, org_id: 'org_v1' }, NOW).org).toBe('org_v1');
  });

  it('has no second factor without fva or with fva[1] = -1', () => {
    expect(sessionFromClaims(base, NOW).secondFactorAgeMinutes).toBeNull();
    expect(sessionFromClaims({ ...base, fva: [7, -1] }, NOW).secondFactorAgeMinutes).toBeNull();
  });

  it('ages the second factor by the age of the token itself', () => {
    expect(sessionFromClaims({ ...base, iat: iat - 30 * 60, fva: [0, 0] }, NOW).secondFactorAgeMinutes).toBe(30);
    expect(sessionFromClaims({ ...base, iat: iat - 59, fva: [0, 2] }, NOW).secondFactorAgeMinutes).toBe(2);
    expect(sessionFromClaims({ ...base, iat: iat + 3, fva: [0, 2] }, NOW).secondFactorAgeMinutes).toBe(2);
  });

  it.each([
    [{ ...base, sub: undefined }, 'invalid-subject'],
    [{ ...base, sub: '' }, 'invalid-subject'],
    [{ ...base, sub: 42 }, 'invalid-subject'],
    [{ ...base, sub: 'user alice' }, 'invalid-subject'],
    [{ ...base, sub: 'u'.repeat(65) }, 'invalid-subject'],
    [{ ...base, sid: undefined }, 'invalid-session-id'],
    [{ ...base, sid: 'sess/../x' }, 'invalid-session-id'],
    [{ ...base, sts: 'pending' }, 'session-not-active'],
    [{ ...base, sts: null }, 'session-not-active'],
    [{ ...base, fva: [1] }, 'invalid-factor-age'],
    [{ ...base, fva: [1, 1.5] }, 'invalid-factor-age'],
    [{ ...base, fva: [1, -2] }, 'invalid-factor-age'],
    [{ ...base, fva: '1,1' }, 'invalid-factor-age'],
    [{ ...base, o: { id: 'org with space' } }, 'invalid-organization'],
  ])('refuses %j (%s)', (claims, reason) => {
    expect(reasonOf(claims)).toBe(reason);
  });
});
