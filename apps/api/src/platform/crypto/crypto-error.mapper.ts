import { SubjectErasedError } from '@ledgerline/crypto';
import { problem, type Problem } from '../errors/problem';

/**
 * New data for an erased subject (a document of an erased owner, say) is refused as gone, with the
 * same problem type as the account decider's `subject-erased`. Other crypto errors stay 500s.
 */
export function mapCryptoError(error: unknown): Problem | undefined {
  if (!(error instanceof SubjectErasedError)) return undefined;
  return problem(410, { type: 'subject-erased', detail: 'the data subject has been erased' });
}
