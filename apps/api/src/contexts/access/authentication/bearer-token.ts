import { AuthenticationFailure } from './authentication.errors';

/** Longer than any Clerk session token with generous custom claims; longer input is refused unparsed. */
export const MAX_TOKEN_LENGTH = 8_192;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The token of an `Authorization: Bearer <token>` header, or an AuthenticationFailure naming what is wrong. */
export function bearerToken(header: string | string[] | undefined): string {
  if (Array.isArray(header)) throw new AuthenticationFailure('malformed-authorization');
  const value = header?.trim();
  if (value === undefined || value === '') throw new AuthenticationFailure('missing-token');
  const match = /^(\S+)(?:\s+(\S*))?$/.exec(value);
  if (match === null) throw new AuthenticationFailure('malformed-authorization');
  if (match[1].toLowerCase() !== 'bearer') throw new AuthenticationFailure('unsupported-scheme');
  const token = match[2] ?? '';
  if (token === '') throw new AuthenticationFailure('missing-token');
  if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) throw new AuthenticationFailure('malformed-token');
  return token;
}
