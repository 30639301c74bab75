import type { AsyncEd25519Verify } from '@ledgerline/integrity';
import { KeyObject } from './node-crypto';

// One imported CryptoKey per public key, made on first use.
const imported = new WeakMap<KeyObject, Promise<CryptoKey>>();

function cryptoKeyOf(key: KeyObject): Promise<CryptoKey> {
  let found = imported.get(key);
  if (!found) {
    found = crypto.subtle.importKey('raw', key.raw as BufferSource, { name: 'Ed25519' }, false, ['verify']);
    imported.set(key, found);
  }
  return found;
}

/**
 * Ed25519 from the browser's WebCrypto (native code, off the main JavaScript thread): the event
 * signatures of a bundle, several in flight at once while BundleVerifier reads on.
 */
export const webCryptoEd25519: AsyncEd25519Verify = async (message, key, signature) =>
  crypto.subtle.verify({ name: 'Ed25519' }, await cryptoKeyOf(key as unknown as KeyObject), signature as BufferSource, message as BufferSource);
