import { registerDecorator, type ValidationOptions } from 'class-validator';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

const E164 = /^\+[1-9]\d{1,14}$/;

/** True for a valid phone number already written in E.164 (`+` and digits, no spaces), as libphonenumber-js judges it. */
export function isE164Phone(value: unknown): value is string {
  if (typeof value !== 'string' || !E164.test(value)) return false;
  const parsed = parsePhoneNumberFromString(value);
  return parsed !== undefined && parsed.isValid() && parsed.number === value;
}

/** class-validator rule `isE164Phone`. */
export function IsE164Phone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isE164Phone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a phone number in E.164 form, e.g. +14155552671', ...options },
      validator: { validate: isE164Phone },
    });
}
