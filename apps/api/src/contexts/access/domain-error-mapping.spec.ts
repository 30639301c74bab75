import { DOMAIN_ERROR_CATEGORIES, DomainError, type DomainErrorCode } from '@ledgerline/domain';
import type winston from 'winston';
import { domainErrorMapper, registerDomainErrorMapper } from '../../platform/errors/domain-error.mapper';
import { ProblemDetailsFilter } from '../../platform/errors/problem-details.filter';

describe('domain error → problem+json', () => {
  it.each(Object.keys(DOMAIN_ERROR_CATEGORIES) as DomainErrorCode[])('maps %s by its category, with the code as type', (code) => {
    const error = new DomainError(code, 'generic message');
    const expected = { validation: 400, 'not-found': 404, conflict: 409, forbidden: 403, gone: 410 }[error.category];
    expect(domainErrorMapper(error)).toMatchObject({
      type: `https://ledgerline.dev/problems/${code}`,
      status: expected,
      detail: 'generic message',
    });
  });

  it('leaves other errors to the next mapper', () => {
    expect(domainErrorMapper(new Error('boom'))).toBeUndefined();
    expect(domainErrorMapper('self-grant')).toBeUndefined();
  });

  it('registers once per filter', () => {
    const filter = new ProblemDetailsFilter({} as winston.Logger);
    const addMapper = jest.spyOn(filter, 'addMapper');
    registerDomainErrorMapper(filter);
    registerDomainErrorMapper(filter);
    expect(addMapper).toHaveBeenCalledTimes(1);
    expect(filter.toProblem(new DomainError('last-admin', 'the last admin cannot be removed'))).toMatchObject({ status: 409, title: 'Conflict' });
  });
});
