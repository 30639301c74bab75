import { ValidationPipe } from '@nestjs/common';
import { validationProblem } from './validation-problem';

/**
 * The global pipe (SPEC §7: strict validation): unknown members, wrong types and oversized strings
 * are 400 problem+json naming the members. No implicit type conversion: numbers in a query string
 * are converted only where a DTO says so (`@Type(() => Number)`).
 */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: validationProblem,
  });
}
