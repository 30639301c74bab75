import { CiphertextInvalidError, SubjectErasedError, UnknownDataKeyError } from '@ledgerline/crypto';
import { problem, type Problem } from '../errors/problem';

/**
 * Crypto errors that reach HTTP: new data for an erased subject is refused as gone (410); a value
 * that does not decrypt is a server-side integrity failure (500, details only in the log).
 */
export function mapCryptoError(error: unknown): Problem | undefined {
  if (error instanceof SubjectErasedError) {
    return problem(410, { type: 'subject-erased', title: 'Subject Erased', detail: 'the data subject has been erased' });
  }
  if (error instanceof CiphertextInvalidError || error instanceof UnknownDataKeyError) return problem(500);
  return undefined;
}
