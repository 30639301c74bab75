import { problem, ProblemException } from '../../../platform/errors/problem';

export const ACCESS_REASON_HEADER = 'x-access-reason';
export const ACCESS_REASON_MIN = 10;
export const ACCESS_REASON_MAX = 500;
const PRINTABLE = /^[^\p{Cc}]+$/u;

/**
 * The reason a compliance officer gives for seeing plaintext (`X-Access-Reason`, SPEC §7.2): 10–500
 * printable characters after trimming, one header. Anything else is 400, and nothing is decrypted.
 */
export function accessReasonFrom(header: string | string[] | undefined): string {
  const refuse = (detail: string): never => {
    throw new ProblemException(problem(400, { type: 'access-reason-required', title: 'Access Reason Required', detail }));
  };
  if (header === undefined) refuse(`reveal=true needs an X-Access-Reason header (${ACCESS_REASON_MIN}–${ACCESS_REASON_MAX} characters)`);
  if (Array.isArray(header)) refuse('give one X-Access-Reason header');
  const reason = (header as string).trim();
  if (reason.length < ACCESS_REASON_MIN || reason.length > ACCESS_REASON_MAX || !PRINTABLE.test(reason)) {
    refuse(`X-Access-Reason must be ${ACCESS_REASON_MIN}–${ACCESS_REASON_MAX} printable characters`);
  }
  return reason;
}
