import { isDomainError, type DomainErrorCategory } from '@ledgerline/domain';
import { problem, type Problem } from './problem';
import type { ErrorMapper, ProblemDetailsFilter } from './problem-details.filter';

const STATUS: Record<DomainErrorCategory, number> = {
  validation: 400,
  'not-found': 404,
  conflict: 409,
  forbidden: 403,
  gone: 410,
};

/**
 * DomainError → problem+json: the status follows the category, the type is the stable code
 * (`https://ledgerline.dev/problems/quota-exceeded`), the detail is the decider's generic message
 * (domain messages carry no ids or values by contract).
 */
export const domainErrorMapper: ErrorMapper = (error: unknown): Problem | undefined => {
  if (!isDomainError(error)) return undefined;
  return problem(STATUS[error.category], { type: error.code, detail: error.message });
};

const registered = new WeakSet<ProblemDetailsFilter>();

/** Registers the mapper once per filter; any context may call it from onModuleInit. */
export function registerDomainErrorMapper(filter: ProblemDetailsFilter): void {
  if (registered.has(filter)) return;
  registered.add(filter);
  filter.addMapper(domainErrorMapper);
}
