import { DOMAIN_ERROR_CATEGORIES, DomainError, isDomainError } from './domain-error';

describe('DomainError', () => {
  it('derives its category from the code', () => {
    const error = new DomainError('document-not-found', 'document not found');
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.code, error.category, error.message]).toEqual([
      'DomainError',
      'document-not-found',
      'not-found',
      'document not found',
    ]);
  });

  it('uses only the five categories the exception filter maps, and kebab-case codes', () => {
    for (const [code, category] of Object.entries(DOMAIN_ERROR_CATEGORIES)) {
      expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(['validation', 'not-found', 'conflict', 'forbidden', 'gone']).toContain(category);
    }
  });

  it.each([
    ['subject-erased', 'gone'],
    ['quota-exceeded', 'forbidden'],
    ['document-read-only', 'forbidden'],
    ['owner-only', 'forbidden'],
    ['self-grant', 'forbidden'],
    ['document-exists', 'conflict'],
    ['last-admin', 'conflict'],
    ['unknown-role', 'validation'],
    ['cannot-share-with-owner', 'validation'],
  ] as const)('keeps %s in category %s', (code, category) => {
    expect(new DomainError(code, 'x').category).toBe(category);
  });

  it('recognises DomainErrors, also from another copy of the module, and nothing else', () => {
    expect(isDomainError(new DomainError('owner-only', 'x'))).toBe(true);
    const foreign = Object.assign(new Error('x'), { name: 'DomainError', code: 'owner-only', category: 'forbidden' });
    expect(isDomainError(foreign)).toBe(true);
    expect(isDomainError(Object.assign(new Error('x'), { name: 'DomainError', code: 'owner-only', category: 'gone' }))).toBe(false);
    expect(isDomainError(Object.assign(new Error('x'), { name: 'DomainError', code: 'toString', category: 'validation' }))).toBe(false);
    expect(isDomainError({ name: 'DomainError', code: 'owner-only', category: 'forbidden' })).toBe(false);
    expect(isDomainError(new Error('boom'))).toBe(false);
  });
});
