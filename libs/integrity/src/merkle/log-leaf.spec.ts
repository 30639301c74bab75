import * as crypto from 'node:crypto';
import { EnvelopeError } from '../integrity.errors';
import { CHECKPOINT_STREAM, eventLeafHash, isLogLeaf, leafInputOf } from './log-leaf';

describe('log leaves (§4)', () => {
  const hash = 'ab'.repeat(32);

  it('are the v:1 events outside the checkpoint stream', () => {
    expect(isLogLeaf({ stream: 'document-1', metadata: { v: 1, hash } })).toBe(true);
    expect(isLogLeaf({ stream: CHECKPOINT_STREAM, metadata: { v: 1, hash } })).toBe(false);
    expect(isLogLeaf({ stream: 'document-1', metadata: { $correlationId: 'x' } })).toBe(false);
    expect(isLogLeaf({ stream: 'document-1', metadata: null })).toBe(false);
  });

  it('take the bytes of metadata.hash as leaf input', () => {
    expect(leafInputOf({ hash }).toString('hex')).toBe(hash);
    const expected = crypto.createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(hash, 'hex')])).digest();
    expect(eventLeafHash({ hash }).equals(expected)).toBe(true);
    expect(() => leafInputOf({ hash: hash.toUpperCase() })).toThrow(EnvelopeError);
    expect(() => leafInputOf(undefined)).toThrow(EnvelopeError);
  });
});
