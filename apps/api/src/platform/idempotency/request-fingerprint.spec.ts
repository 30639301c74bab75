import { idempotencyRecordKey, requestFingerprint } from './request-fingerprint';

describe('request fingerprint', () => {
  it('ignores member order and whitespace, not values, method or path', () => {
    const base = requestFingerprint('POST', '/v1/documents', { title: 't', body: 'b' });
    expect(requestFingerprint('POST', '/v1/documents', { body: 'b', title: 't' })).toBe(base);
    expect(requestFingerprint('POST', '/v1/documents', { title: 't', body: 'B' })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/other', { title: 't', body: 'b' })).not.toBe(base);
    expect(requestFingerprint('PUT', '/v1/documents', { title: 't', body: 'b' })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/documents', undefined)).toBe(requestFingerprint('POST', '/v1/documents', null));
  });

  it('scopes keys per caller and hashes them into safe store keys', () => {
    expect(idempotencyRecordKey('user_a', 'k')).not.toBe(idempotencyRecordKey('user_b', 'k'));
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    expect(idempotencyRecordKey('ab', 'c')).not.toBe(idempotencyRecordKey('a', 'bc'));
    expect(idempotencyRecordKey('user_a', 'key with spaces and ünicode')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
