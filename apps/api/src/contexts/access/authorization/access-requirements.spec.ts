import { Access, ACCESS_METADATA, AuditAccess, DomainWriteAccess, type AccessRequirements } from './access.decorator';
import { evaluateAccess } from './access-requirements';
import type { Principal, PrincipalRole } from './principal';

const MAX = 10;
const who = (roles: PrincipalRole[], secondFactorAgeMinutes: number | null = 0): Principal => ({
  userId: 'user_x',
  sessionId: 'sess_x',
  secondFactorAgeMinutes,
  roles: ['user', ...roles.filter((role) => role !== 'user')],
});
const decide = (principal: Principal, requirements: AccessRequirements) => {
  const decision = evaluateAccess(principal, requirements, MAX);
  return decision.allowed ? 'allowed' : decision.reason;
};
const metadataOf = (decorator: MethodDecorator & ClassDecorator): AccessRequirements => {
  class Probe {}
  decorator(Probe);
  return Reflect.getMetadata(ACCESS_METADATA, Probe) as AccessRequirements;
};

describe('evaluateAccess', () => {
  it('lets any signed-in user through a route without requirements', () => {
    expect(decide(who([], null), {})).toBe('allowed');
  });

  it('needs one of the listed roles', () => {
    expect(decide(who([]), { roles: ['admin'] })).toBe('missing-role');
    expect(decide(who(['admin']), { roles: ['admin'] })).toBe('allowed');
    expect(decide(who(['compliance']), { roles: ['admin', 'compliance'] })).toBe('allowed');
  });

  it('needs a second factor no older than the window for MFA routes', () => {
    expect(decide(who(['admin'], null), { roles: ['admin'], mfa: true })).toBe('mfa-required');
    expect(decide(who(['admin'], MAX + 1), { roles: ['admin'], mfa: true })).toBe('mfa-required');
    expect(decide(who(['admin'], MAX), { roles: ['admin'], mfa: true })).toBe('allowed');
  });

  it('checks roles before MFA, so nobody is asked to re-verify for a route they can never use', () => {
    expect(decide(who([], null), { roles: ['admin'], mfa: true })).toBe('missing-role');
  });

  it('keeps admins out of the audit log, even admins who are also compliance officers', () => {
    const audit = metadataOf(AuditAccess());
    expect(decide(who(['compliance']), audit)).toBe('allowed');
    expect(decide(who(['admin']), audit)).toBe('missing-role');
    expect(decide(who(['admin', 'compliance']), audit)).toBe('separation-of-duties');
    expect(decide(who(['compliance'], null), audit)).toBe('mfa-required');
  });

  it('keeps compliance officers from changing domain data', () => {
    const write = metadataOf(DomainWriteAccess());
    expect(decide(who([]), write)).toBe('allowed');
    expect(decide(who(['admin']), write)).toBe('allowed');
    expect(decide(who(['compliance']), write)).toBe('separation-of-duties');
    expect(decide(who([], null), metadataOf(DomainWriteAccess({ mfa: true })))).toBe('mfa-required');
  });

  it('refuses a public route that also asks for roles or MFA', () => {
    expect(() => Access({ public: true, roles: ['admin'] })).toThrow(/public/);
    expect(() => Access({ public: true, mfa: true })).toThrow(/public/);
    expect(metadataOf(Access({ public: true }))).toEqual({ public: true, roles: undefined });
  });
});
