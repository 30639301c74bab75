import fc from 'fast-check';
import { b64urlEncode, generateEd25519Pem, Keyring, sha256Hex, signDetachedJws, verifyDetachedJws, type KeyMap } from '@ledgerline/integrity';
import { SignatureBatch } from './signature-batch';

let retired: Keyring;
let active: Keyring;
let stranger: Keyring;
let keys: KeyMap;
beforeAll(async () => {
  retired = await Keyring.create({ signingKey: generateEd25519Pem() });
  active = await Keyring.create({ signingKey: generateEd25519Pem(), retired: retired.jwks() });
  stranger = await Keyring.create({ signingKey: generateEd25519Pem() });
  keys = active.keyMap();
});
const hashes = Array.from({ length: 12 }, (_, i) => sha256Hex(`event ${i}`));
const signedBy = (ring: Keyring) => hashes.map((h) => ring.sign(h));

/** verifyDetachedJws one by one: the reference answer. */
function reference(sigs: string[], count = sigs.length) {
  for (let i = 0; i < count; i++) {
    const jws = verifyDetachedJws(sigs[i], hashes[i], keys);
    if (!jws.ok) return { index: i, kind: jws.reason === 'unknown-key' ? 'unknown-key' : 'signature', reason: jws.detail };
  }
  return undefined;
}

describe('SignatureBatch', () => {
  it('accepts signatures by the active and a retired key, again once their headers are known', () => {
    const batch = new SignatureBatch(keys);
    const sigs = signedBy(active).map((s, i) => (i % 3 === 0 ? signedBy(retired)[i] : s));
    expect(batch.firstFailure(sigs, hashes, sigs.length)).toBeUndefined();
    expect(batch.firstFailure(sigs, hashes, sigs.length)).toBeUndefined();
  });

  it('names the first failure as verifyDetachedJws does, before and after headers are known', () => {
    const batch = new SignatureBatch(keys);
    for (let round = 0; round < 2; round++) {
      const sigs = signedBy(active);
      sigs[7] = stranger.sign(hashes[7]);
      sigs[4] = active.sign(hashes[5]);
      expect(batch.firstFailure(sigs, hashes, sigs.length)).toEqual({ ...reference(sigs), index: 4, kind: 'signature' });
      expect(batch.firstFailure(sigs, hashes, 4)).toBeUndefined();
      expect(batch.firstFailure(sigs, hashes, 6)?.index).toBe(4);
    }
    const sigs = signedBy(active);
    sigs[2] = stranger.sign(hashes[2]);
    expect(batch.firstFailure(sigs, hashes, sigs.length)).toMatchObject({ index: 2, kind: 'unknown-key' });
  });

  it('accepts another valid spelling of the header only through verifyDetachedJws, and agrees on it', () => {
    const batch = new SignatureBatch(keys);
    const kid = active.activeKid;
    const header = b64urlEncode(JSON.stringify({ kid, crit: ['b64'], b64: false, alg: 'EdDSA' }));
    const sigs = hashes.map((h) => signDetachedJws(h, kid, active.signingKey(), header));
    expect(batch.firstFailure(sigs, hashes, sigs.length)).toEqual(reference(sigs));
  });

  it('agrees with verifyDetachedJws on any one-character change of any signature', () => {
    const batch = new SignatureBatch(keys);
    batch.firstFailure(signedBy(active), hashes, hashes.length);
    const chars = ['.', 'A', 'a', '_', '-', '=', '+', '/', '0', '"', 'é'];
    fc.assert(
      fc.property(fc.nat(hashes.length - 1), fc.nat(), fc.constantFrom(...chars), fc.constantFrom('replace', 'insert', 'delete'), (which, at, c, how) => {
        const sigs = signedBy(active);
        const sig = sigs[which];
        const i = at % sig.length;
        sigs[which] = how === 'replace' ? sig.slice(0, i) + c + sig.slice(i + 1) : how === 'insert' ? sig.slice(0, i) + c + sig.slice(i) : sig.slice(0, i) + sig.slice(i + 1);
        expect(batch.firstFailure(sigs, hashes, sigs.length)).toEqual(reference(sigs));
      }),
      { numRuns: 300 },
    );
  });
});
