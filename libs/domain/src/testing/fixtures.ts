import type { CommandMetadata } from '../shared/decider';
import type { EncryptedValue } from '../shared/encrypted-value';

const HEADER = Buffer.from('{"alg":"dir","enc":"A256GCM","kid":"k1"}').toString('base64url');

/** A structurally valid JWE compact value (not real ciphertext: deciders never decrypt). */
export function sealed(label: string): EncryptedValue {
  const part = Buffer.from(label).toString('base64url') || 'AA';
  return { $jwe: `${HEADER}..aXZpdml2aXZpdml2.${part}.dGFndGFndGFndGFndGFn` };
}

export const NOW = '2026-11-28T01:18:20.123Z';
export const meta: CommandMetadata = { now: NOW };
