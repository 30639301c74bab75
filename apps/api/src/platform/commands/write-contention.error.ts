import { problem, type Problem } from '../errors/problem';

/**
 * A command without If-Match lost the race for its stream to other writers on every try: no
 * precondition was sent, so it is not a 412. Answered 409; retrying later is safe.
 */
export class WriteContentionError extends Error {
  readonly code = 'write-contention';
  constructor() {
    super('other writers kept changing the resource');
    this.name = 'WriteContentionError';
  }
}

export function mapWriteContention(error: unknown): Problem | undefined {
  if (!(error instanceof WriteContentionError)) return undefined;
  return problem(409, { type: 'write-contention', detail: 'other changes to this resource kept landing first; retry the request' });
}
