/** A bad command line or an input that cannot be read at all: exit 2, never "invalid". */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
