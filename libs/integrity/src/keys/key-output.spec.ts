import * as crypto from 'node:crypto';
import { sha256Hex } from '../hash';
import { jwksKeyMap } from './jwks';
import { Keyring } from './keyring';

// Two fixed keys and what the hand-written RFC 7638 / JWK code made of them (recorded before jose
// took over deriving them): the kids, the published JWKS text and a detached JWS must stay these bytes.
const RFC8037_KEY = { kty: 'OKP', crv: 'Ed25519', d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
// The key whose seed is the bytes 00 01 … 1f, as PKCS#8 PEM text (built here: no key file is committed).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SEED_KEY_PEM = crypto
  .createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(Array.from({ length: 32 }, (_, i) => i))]), format: 'der', type: 'pkcs8' })
  .export({ format: 'pem', type: 'pkcs8' })
  .toString();

const RFC8037_KID = 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k';
const SEED_KID = '1IG2tMH7J2wbJZnOf8LJzQitKf7LMvoAElsuDMVM54Y';
const JWKS_TEXT =
  '{"keys":[' +
  '{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k","alg":"EdDSA","use":"sig"},' +
  '{"kty":"OKP","crv":"Ed25519","x":"A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg","kid":"1IG2tMH7J2wbJZnOf8LJzQitKf7LMvoAElsuDMVM54Y","alg":"EdDSA","use":"sig"}' +
  ']}';
const SIGNED_HASH = 'fe4da627f1b2cdec0e11cb474ed41b0fda8bc5b14ebea7f86bbce1fb8ecd53ba';
const JWS =
  'eyJhbGciOiJFZERTQSIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il0sImtpZCI6ImtQcktfcW14VldhWVZBOXd3QkY2SXVvM3ZWeno3VHhIQ1R3WEJ5Z3JTNGsifQ' +
  '..wytJNu35tKJNy3LBf8ZYkYV4CNXi2zYGNr1n2fY5uWDaJ7EXqzf8Fu8DEk7ItP7QlknWqQ3oQKS6qYEvWwLZBA';

describe('kids, JWKS and signatures of fixed keys', () => {
  let retired: Keyring;
  let ring: Keyring;
  beforeAll(async () => {
    retired = await Keyring.create({ signingKey: SEED_KEY_PEM });
    ring = await Keyring.create({ signingKey: crypto.createPrivateKey({ key: RFC8037_KEY, format: 'jwk' }), retired: retired.jwks() });
  });

  it('derives the same kids', () => {
    expect(ring.activeKid).toBe(RFC8037_KID);
    expect(retired.activeKid).toBe(SEED_KID);
  });

  it('publishes the same JWKS text, active key first', () => {
    expect(JSON.stringify(ring.jwks())).toBe(JWKS_TEXT);
  });

  it('imports the published JWKS back under the same kids', async () => {
    expect([...(await jwksKeyMap(JSON.parse(JWKS_TEXT))).keys()]).toEqual([RFC8037_KID, SEED_KID]);
  });

  it('signs the same detached JWS', () => {
    expect(sha256Hex('ledgerline')).toBe(SIGNED_HASH);
    expect(ring.sign(SIGNED_HASH)).toBe(JWS);
  });
});
