import { isRole, type Role } from '@ledgerline/domain';
import { ProblemException, problem } from '../../../platform/errors/problem';
import { USER_ID_PATTERN } from '../authentication/session-claims';

/** `:userId` must look like a Clerk user id; anything else is a 400 before any command runs. */
export function userIdParam(value: string): string {
  if (!USER_ID_PATTERN.test(value)) {
    throw new ProblemException(problem(400, { type: 'invalid-user-id', detail: 'userId must be 1-64 letters, digits, _ or -' }));
  }
  return value;
}

export function roleParam(value: string): Role {
  if (!isRole(value)) throw new ProblemException(problem(400, { type: 'invalid-role', detail: 'role must be admin or compliance' }));
  return value;
}
