import { rsaKeyPair, sessionClaims, signRs256 } from '../../../../../../test/security/support/token-forge';
import { clerkVerdict, isClerkVerdict } from './clerk-verdict';

const APP = 'https://app.example.test';
const issuer = rsaKeyPair();
const settings = { key: { jwtKey: issuer.publicKeyPem }, authorizedParties: [APP] };

describe("Clerk's verdict as data (it crosses threads)", () => {
  it("gives a good token's claims and a bad token's refusal reason, never a throw", async () => {
    const token = signRs256(issuer.privateKey, sessionClaims());
    await expect(clerkVerdict(token, settings)).resolves.toEqual({ claims: expect.objectContaining({ sub: 'user_alice', azp: APP }) });
    const forged = signRs256(rsaKeyPair().privateKey, sessionClaims());
    await expect(clerkVerdict(forged, settings)).resolves.toEqual({ refused: 'token-invalid-signature' });
    await expect(clerkVerdict(signRs256(issuer.privateKey, sessionClaims({ azp: 'https://evil.example' })), settings)).resolves.toEqual({
      refused: 'token-invalid-authorized-parties',
    });
  });

  it('takes back only a well-formed verdict from another thread', () => {
    expect(isClerkVerdict({ claims: { sub: 'user_alice' } })).toBe(true);
    expect(isClerkVerdict({ refused: 'token-expired' })).toBe(true);
    expect(isClerkVerdict({ unavailable: 'jwk-local-missing' })).toBe(true);
    for (const bad of [null, undefined, 'claims', [], {}, { claims: null }, { claims: [] }, { claims: 'x' }, { refused: 1 }, { claims: {}, refused: 'x' }, { granted: true }]) {
      expect(isClerkVerdict(bad)).toBe(false);
    }
  });
});
