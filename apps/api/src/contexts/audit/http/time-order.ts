import { invalidRequest } from '../../../platform/openapi/validation-problem';
import type { AuditFilter } from '../audit-index/audit-filter';

/** `from` must come before `to` (400 otherwise: an empty range is a mistake, not a question). */
export function assertTimeOrder(filter: AuditFilter): void {
  if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) {
    throw invalidRequest([{ field: 'to', rules: ['isAfterFrom'] }]);
  }
}
