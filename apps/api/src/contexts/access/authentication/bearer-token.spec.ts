import { AuthenticationFailure } from './authentication.errors';
import { bearerToken, MAX_TOKEN_LENGTH } from './bearer-token';

const reasonOf = (header: string | string[] | undefined): string => {
  try {
    bearerToken(header);
  } catch (error) {
    if (error instanceof AuthenticationFailure) return error.reason;
    throw error;
  }
  return 'accepted';
};

describe('bearerToken', () => {
  it('takes the token of a Bearer header, any case of the scheme', () => {
    expect(bearerToken('Bearer aaa.bbb.ccc')).toBe('aaa.bbb.ccc');
    expect(bearerToken('bearer  aaa.bbb.c_-')).toBe('aaa.bbb.c_-');
  });

  it.each([
    [undefined, 'missing-token'],
    ['', 'missing-token'],
    ['Bearer', 'missing-token'],
    ['Bearer   ', 'missing-token'],
    ['Basic dXNlcjpwYXNz', 'unsupported-scheme'],
    ['Token aaa.bbb.ccc', 'unsupported-scheme'],
    ['Bearer aaa.bbb.ccc extra', 'malformed-authorization'],
    [['Bearer a.b.c', 'Bearer a.b.c'], 'malformed-authorization'],
    ['Bearer aaa.bbb', 'malformed-token'],
    ['Bearer aaa.bbb.ccc.ddd', 'malformed-token'],
    ['Bearer aaa.bbb.cc=', 'malformed-token'],
    ['Bearer aaa.b+b.ccc', 'malformed-token'],
    [`Bearer a.${'b'.repeat(MAX_TOKEN_LENGTH)}.c`, 'malformed-token'],
  ])('refuses %j as %s', (header, reason) => {
    expect(reasonOf(header as string | string[] | undefined)).toBe(reason);
  });
});
