import * as crypto from 'node:crypto';
import { b64urlEncode } from '../base64';
import { jwsProtectedHeader, signDetachedJws, signDetachedJwsAsync } from '../detached-jws';
import { isHashHex } from '../hash';
import { KeyError } from '../integrity.errors';
import { publicJwkOf, type Ed25519PublicJwk } from './jwk-thumbprint';
import { jwksKeyMap, type Jwks, type KeyMap } from './jwks';

/** Anything that can sign a hash as the §3 detached JWS (the Keyring; a test double in other libs). */
export interface HashSigner {
  /** Detached JWS over the 64 hex characters of `hashHex`. */
  sign(hashHex: string): string;
  /** The same detached JWS, computed on libuv's thread pool (the event loop is free meanwhile); optional. */
  signAsync?(hashHex: string): Promise<string>;
}

export interface KeyringOptions {
  /** The active Ed25519 signing key: PKCS#8 PEM text or a private KeyObject. */
  signingKey: string | crypto.KeyObject;
  /** Earlier public keys, still published and trusted for verification (a JWKS, e.g. RETIRED_KEYS_FILE). */
  retired?: Jwks;
}

/**
 * The event-signing keys: one active private key, plus retired public keys that stay trusted.
 *
 * Rotation, with no event ever becoming unverifiable:
 * 1. publish the current public key in the retired set: append `keyring.jwks()`'s active entry
 *    (or the old JWKS) to RETIRED_KEYS_FILE;
 * 2. generate a new PKCS#8 key (`generateEd25519Pem()`) and point SIGNING_KEY_FILE at it;
 * 3. restart. New events carry the new kid; old events keep their old kid, which `jwks()` still
 *    publishes and `keyMap()` still trusts. Never delete a retired key that signed anything.
 */
export class Keyring implements HashSigner {
  /** Reads the keys and derives every kid and the published JWKS once, here; signing then only uses them. */
  static async create(options: KeyringOptions): Promise<Keyring> {
    const privateKey = toPrivateKey(options.signingKey);
    const active = await publicJwkOf(privateKey);
    const keys = new Map([[active.kid, crypto.createPublicKey(privateKey)]]);
    const published = [active];
    for (const [kid, key] of options.retired ? await jwksKeyMap(options.retired) : []) {
      if (keys.has(kid)) continue;
      keys.set(kid, key);
      published.push(await publicJwkOf(key));
    }
    return new Keyring(privateKey, active.kid, keys, published);
  }

  private readonly headerB64: string;

  private constructor(
    private readonly privateKey: crypto.KeyObject,
    readonly activeKid: string,
    private readonly keys: Map<string, crypto.KeyObject>,
    private readonly publicJwks: Required<Ed25519PublicJwk>[],
  ) {
    this.headerB64 = b64urlEncode(jwsProtectedHeader(activeKid));
  }

  /** Detached JWS (§3) over `hashHex` with the active key. */
  sign(hashHex: string): string {
    if (!isHashHex(hashHex)) throw new KeyError('only a 64-character lowercase hex hash is signed');
    return signDetachedJws(hashHex, this.activeKid, this.privateKey, this.headerB64);
  }

  /** sign, on libuv's thread pool: the sealed write path's signatures then cost the event loop only their set-up. */
  signAsync(hashHex: string): Promise<string> {
    if (!isHashHex(hashHex)) return Promise.reject(new KeyError('only a 64-character lowercase hex hash is signed'));
    return signDetachedJwsAsync(hashHex, this.privateKey, this.headerB64);
  }

  /** The public key for `kid` (active or retired), or undefined. */
  publicKeyFor(kid: string): crypto.KeyObject | undefined {
    return this.keys.get(kid);
  }

  /** kid → public key of every trusted key, for verifyEvent / verifyDetachedJws. */
  keyMap(): KeyMap {
    return this.keys;
  }

  /** The JWKS to publish: active key first, then retired ones, deduplicated by kid. */
  jwks(): Jwks {
    return { keys: this.publicJwks.map((jwk) => ({ ...jwk })) };
  }

  /** The active private key (for callers that sign something other than a hash, e.g. tests). */
  signingKey(): crypto.KeyObject {
    return this.privateKey;
  }
}

function toPrivateKey(key: string | crypto.KeyObject): crypto.KeyObject {
  let object: crypto.KeyObject;
  try {
    object = typeof key === 'string' ? crypto.createPrivateKey({ key, format: 'pem' }) : key;
  } catch (error) {
    throw new KeyError(`signing key is not a PEM private key: ${(error as Error).message}`);
  }
  if (object.type !== 'private' || object.asymmetricKeyType !== 'ed25519') {
    throw new KeyError(`signing key must be an Ed25519 private key, got ${object.asymmetricKeyType ?? object.type} ${object.type}`);
  }
  return object;
}
