import type { ValidationError } from 'class-validator';
import { problem, ProblemException } from '../errors/problem';

/** One member that failed, with the names of the rules it broke; the value itself is never echoed. */
export interface InvalidMember {
  field: string;
  rules: string[];
}

const MAX_FIELD_NAME = 100;
const MAX_MEMBERS = 20;

/** Flattens class-validator's tree into dotted member paths. */
export function invalidMembers(errors: readonly ValidationError[], parent = ''): InvalidMember[] {
  const out: InvalidMember[] = [];
  for (const error of errors) {
    const field = (parent ? `${parent}.${error.property}` : error.property).slice(0, MAX_FIELD_NAME);
    if (error.constraints) {
      // The rule names (maxLength, isString, whitelistValidation, …), never the messages: a message
      // template may interpolate the value.
      out.push({ field, rules: Object.keys(error.constraints) });
    }
    if (error.children?.length) out.push(...invalidMembers(error.children, field));
  }
  return out;
}

/** The 400 problem for a body or query that broke the DTO's rules (ValidationPipe's exceptionFactory). */
export function validationProblem(errors: ValidationError[]): ProblemException {
  return invalidRequest(invalidMembers(errors));
}

/** 400 problem+json naming the members that failed and the rules they broke. */
export function invalidRequest(all: readonly InvalidMember[]): ProblemException {
  const members = all.slice(0, MAX_MEMBERS);
  return new ProblemException(
    problem(400, {
      type: 'validation-failed',
      title: 'Validation Failed',
      detail: `invalid or unknown members: ${members.map((m) => m.field).join(', ')}`,
      extensions: { errors: members },
    }),
  );
}
