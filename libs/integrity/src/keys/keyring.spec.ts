import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { verifyDetachedJws } from '../detached-jws';
import { sha256Hex } from '../hash';
import { KeyError } from '../integrity.errors';
import { generateEd25519Pem, keyringFromFiles, loadOrCreateKeyFile, readJwksFile } from './key-files';
import { jwksKeyMap } from './jwks';
import { Keyring } from './keyring';

describe('Keyring', () => {
  const pemA = generateEd25519Pem();
  const pemB = generateEd25519Pem();

  it('signs with the active key and publishes it with its thumbprint kid', async () => {
    const ring = await Keyring.create({ signingKey: pemA });
    const jwks = ring.jwks();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: ring.activeKid, alg: 'EdDSA', use: 'sig' });
    const hash = sha256Hex('e');
    expect(verifyDetachedJws(ring.sign(hash), hash, await jwksKeyMap(jwks))).toEqual({ ok: true, kid: ring.activeKid });
    expect(ring.publicKeyFor(ring.activeKid)?.type).toBe('public');
    expect(ring.publicKeyFor('nope')).toBeUndefined();
  });

  it('refuses to sign anything but a lowercase hex hash', async () => {
    const ring = await Keyring.create({ signingKey: pemA });
    expect(() => ring.sign('not a hash')).toThrow(KeyError);
    await expect(ring.signAsync('not a hash')).rejects.toThrow(KeyError);
  });

  it('signs off the event loop with the very bytes of sign (Ed25519 is deterministic)', async () => {
    const ring = await Keyring.create({ signingKey: pemA });
    const hashes = Array.from({ length: 20 }, (_, i) => sha256Hex(`event ${i}`));
    const signed = await Promise.all(hashes.map((hash) => ring.signAsync(hash)));
    expect(signed).toEqual(hashes.map((hash) => ring.sign(hash)));
  });

  it('keeps signatures of a retired key verifiable after rotation', async () => {
    const ringA = await Keyring.create({ signingKey: pemA });
    const hashes = ['1', '2', '3'].map((s) => sha256Hex(s));
    const sigsA = hashes.map((h) => ringA.sign(h));
    const ringB = await Keyring.create({ signingKey: pemB, retired: ringA.jwks() });
    const sigB = ringB.sign(hashes[0]);

    expect(ringB.activeKid).not.toBe(ringA.activeKid);
    expect(ringB.jwks().keys.map((k) => k.kid)).toEqual([ringB.activeKid, ringA.activeKid]);
    const trusted = await jwksKeyMap(ringB.jwks());
    hashes.forEach((h, i) => expect(verifyDetachedJws(sigsA[i], h, trusted)).toEqual({ ok: true, kid: ringA.activeKid }));
    expect(verifyDetachedJws(sigB, hashes[0], trusted)).toEqual({ ok: true, kid: ringB.activeKid });
    // Without the retired key, the old signatures are no longer trusted.
    expect(verifyDetachedJws(sigsA[0], hashes[0], (await Keyring.create({ signingKey: pemB })).keyMap())).toMatchObject({ reason: 'unknown-key' });
  });

  it('deduplicates the active key when it is also listed as retired', async () => {
    const ringA = await Keyring.create({ signingKey: pemA });
    const ring = await Keyring.create({ signingKey: pemA, retired: { keys: [...ringA.jwks().keys, ...ringA.jwks().keys] } });
    expect(ring.jwks().keys).toHaveLength(1);
  });

  it('rejects non-Ed25519 or public signing keys', async () => {
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await expect(Keyring.create({ signingKey: rsa })).rejects.toThrow(/Ed25519/);
    await expect(Keyring.create({ signingKey: 'garbage' })).rejects.toThrow(KeyError);
    await expect(Keyring.create({ signingKey: crypto.createPublicKey(pemA) })).rejects.toThrow(KeyError);
  });
});

describe('jwksKeyMap', () => {
  const jwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', kid: 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k', alg: 'EdDSA', use: 'sig' };

  it('recomputes each kid and accepts keys without one', async () => {
    const { kid, ...withoutKid } = jwk;
    expect([...(await jwksKeyMap({ keys: [withoutKid] })).keys()]).toEqual([kid]);
  });

  it('rejects a kid that is not the thumbprint of x', async () => {
    await expect(jwksKeyMap({ keys: [{ ...jwk, kid: 'forged' }] })).rejects.toThrow(/not its RFC 7638 thumbprint/);
  });

  it('imports only the public key, even from a JWK that carries "d"', async () => {
    const withPrivate = { ...jwk, d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A' };
    expect((await jwksKeyMap({ keys: [withPrivate] })).get(jwk.kid)?.type).toBe('public');
  });

  it.each([[null], [{}], [{ keys: 'x' }], [{ keys: [null] }], [{ keys: [{ ...jwk, crv: 'X25519' }] }], [{ keys: [{ ...jwk, alg: 'RS256' }] }]])(
    'rejects malformed set %p',
    async (jwks) => {
      await expect(jwksKeyMap(jwks)).rejects.toThrow(KeyError);
    },
  );
});

describe('key files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'integrity-keys-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a missing key file with mode 0600, then reads it back', async () => {
    const file = path.join(dir, 'keys', 'signing.pem');
    const created = loadOrCreateKeyFile(file);
    expect(created.generated).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = loadOrCreateKeyFile(file);
    expect(again).toEqual({ pem: created.pem, generated: false });
    expect((await Keyring.create({ signingKey: again.pem })).activeKid).toHaveLength(43);
  });

  it('builds a keyring from a signing key file and a retired JWKS file', async () => {
    const old = await Keyring.create({ signingKey: generateEd25519Pem() });
    const signingKeyFile = path.join(dir, 'signing.pem');
    const retiredKeysFile = path.join(dir, 'retired.json');
    fs.writeFileSync(signingKeyFile, generateEd25519Pem());
    fs.writeFileSync(retiredKeysFile, JSON.stringify(old.jwks()));
    const ring = await keyringFromFiles({ signingKeyFile, retiredKeysFile });
    expect(ring.publicKeyFor(old.activeKid)).toBeDefined();
    expect(ring.jwks().keys).toHaveLength(2);
  });

  it('names the missing or malformed file', async () => {
    await expect(keyringFromFiles({ signingKeyFile: path.join(dir, 'missing.pem') })).rejects.toThrow(/missing\.pem/);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"nokeys":1}');
    expect(() => readJwksFile(path.join(dir, 'bad.json'))).toThrow(/bad\.json/);
  });
});
