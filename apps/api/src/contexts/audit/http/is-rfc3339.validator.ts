import { registerDecorator, type ValidationOptions } from 'class-validator';
import { normalizeTime } from '../audit-index/audit-filter';

/** class-validator rule `isRfc3339`: an RFC 3339 date-time with an offset (`2026-11-28T01:18:20Z`, `…+02:00`). */
export function IsRfc3339(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRfc3339',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an RFC 3339 date-time with an offset, e.g. 2026-11-28T01:18:20Z', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && value.length <= 40 && normalizeTime(value) !== undefined },
    });
}
