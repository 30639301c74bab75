/**
 * A request that could not be authenticated. `reason` is a stable kebab-case code for logs and
 * security events; it never reaches the client (401 bodies reveal nothing).
 */
export class AuthenticationFailure extends Error {
  constructor(readonly reason: string) {
    super(`authentication failed: ${reason}`);
    this.name = 'AuthenticationFailure';
  }
}

/** The verification key could not be resolved (JWKS unreachable, bad secret key): our fault, not the client's → 503. */
export class AuthenticationUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`authentication unavailable: ${reason}`);
    this.name = 'AuthenticationUnavailable';
  }
}
