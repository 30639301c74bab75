import { problem, type Problem } from '../errors/problem';

/**
 * The revision a client named (If-Match) is not the stream's, or another writer appended first:
 * the client must re-read and retry. Answered 412.
 */
export class PreconditionFailedError extends Error {
  readonly code = 'precondition-failed';
  constructor() {
    super('the resource changed since it was read');
    this.name = 'PreconditionFailedError';
  }
}

export function mapPreconditionFailed(error: unknown): Problem | undefined {
  if (!(error instanceof PreconditionFailedError)) return undefined;
  return problem(412, { type: 'precondition-failed', detail: 'the resource changed since it was read; fetch it again and retry' });
}
