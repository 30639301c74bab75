import { ConfigError } from '@ledgerline/config';
import { bootstrapGrants } from './role-bootstrap';

describe('bootstrapGrants', () => {
  it('lists admins then compliance officers', () => {
    expect(bootstrapGrants({ bootstrapAdmins: ['user_a', 'user_b'], bootstrapCompliance: ['user_c'] })).toEqual([
      { userId: 'user_a', role: 'admin' },
      { userId: 'user_b', role: 'admin' },
      { userId: 'user_c', role: 'compliance' },
    ]);
  });

  it.each([
    ['BOOTSTRAP_ADMINS', { bootstrapAdmins: ['user a'], bootstrapCompliance: [] }],
    ['BOOTSTRAP_COMPLIANCE', { bootstrapAdmins: [], bootstrapCompliance: ['x'.repeat(65)] }],
  ])('names %s when an id could never be a token subject', (variable, config) => {
    expect(() => bootstrapGrants(config)).toThrow(ConfigError);
    expect(() => bootstrapGrants(config)).toThrow(new RegExp(`^${variable}:`));
  });
});
