/**
 * Raised at start when configuration is invalid; names the variable and the form it needs, never its
 * value (secret or not: a value may be a secret in the wrong variable, and start-up errors reach logs).
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}
