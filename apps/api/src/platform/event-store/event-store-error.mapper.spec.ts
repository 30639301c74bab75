import { AppendTooLargeError, ConcurrencyError, EventStoreAccessDeniedError } from '@ledgerline/event-store';
import { mapEventStoreError } from './event-store-error.mapper';

describe('mapEventStoreError', () => {
  it('answers an append over the store limit with 413, naming no stream or event', () => {
    const body = mapEventStoreError(new AppendTooLargeError('document-secret-id', 2_000_000, 1_048_576, 'event-id'));
    expect(body).toMatchObject({ status: 413, type: 'https://ledgerline.dev/problems/append-too-large' });
    expect(JSON.stringify(body)).not.toMatch(/secret-id|event-id|1048576/);
  });

  it('answers a store ACL refusal with 503 and keeps the missing right out of the answer', () => {
    const body = mapEventStoreError(new EventStoreAccessDeniedError('read $all', '$r on $all'));
    expect(body).toMatchObject({ status: 503, type: 'https://ledgerline.dev/problems/event-store-unavailable' });
    expect(JSON.stringify(body)).not.toContain('$r on $all');
  });

  it('leaves every other error to the next mapper', () => {
    expect(mapEventStoreError(new ConcurrencyError('s', 1, 2))).toBeUndefined();
    expect(mapEventStoreError(new Error('x'))).toBeUndefined();
  });
});
