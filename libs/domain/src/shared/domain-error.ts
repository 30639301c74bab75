/** How an exception filter should treat a rejected command (400 / 404 / 409 / 403 / 410). */
export type DomainErrorCategory = 'validation' | 'not-found' | 'conflict' | 'forbidden' | 'gone';

/**
 * Every code a decider can raise, with its category. The code is part of the public contract
 * (it becomes the problem type), so a code never changes category.
 */
export const DOMAIN_ERROR_CATEGORIES = {
  'unknown-command': 'validation',
  'invalid-id': 'validation',
  'invalid-time': 'validation',
  'invalid-encrypted-value': 'validation',
  'empty-update': 'validation',
  'stream-mismatch': 'validation',
  'invalid-plan': 'validation',
  'invalid-document-count': 'validation',
  'invalid-access': 'validation',
  'cannot-share-with-owner': 'validation',
  'unknown-role': 'validation',
  'invalid-actor': 'validation',
  'document-not-found': 'not-found',
  'document-exists': 'conflict',
  'last-admin': 'conflict',
  'quota-exceeded': 'forbidden',
  'document-read-only': 'forbidden',
  'owner-only': 'forbidden',
  'self-grant': 'forbidden',
  'subject-erased': 'gone',
} as const satisfies Record<string, DomainErrorCategory>;

export type DomainErrorCode = keyof typeof DOMAIN_ERROR_CATEGORIES;

/**
 * A command rejected by a business rule. Messages are generic and carry no ids or values, so
 * they are safe to show; the category follows from the code.
 */
export class DomainError<C extends DomainErrorCode = DomainErrorCode> extends Error {
  readonly category: (typeof DOMAIN_ERROR_CATEGORIES)[C];

  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
    this.category = DOMAIN_ERROR_CATEGORIES[code];
  }
}

/** True for a DomainError, also across module copies (checks shape, not only the prototype). */
export function isDomainError(value: unknown): value is DomainError {
  if (value instanceof DomainError) return true;
  if (!(value instanceof Error) || value.name !== 'DomainError') return false;
  const { code, category } = value as Partial<DomainError>;
  return (
    typeof code === 'string' &&
    Object.hasOwn(DOMAIN_ERROR_CATEGORIES, code) &&
    DOMAIN_ERROR_CATEGORIES[code] === category
  );
}
