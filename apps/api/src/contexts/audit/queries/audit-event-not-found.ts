import { problem, ProblemException } from '../../../platform/errors/problem';

/** 404 for an event id the audit index does not hold (yet: X-Consistent-After waits for it). */
export function auditEventNotFound(): ProblemException {
  return new ProblemException(problem(404, { type: 'audit-event-not-found', title: 'Event Not Found', detail: 'no sealed event has this id' }));
}
