import { AuthenticationFailure } from './authentication.errors';
import { UnknownKeyIdGate } from './unknown-key-gate';

function setup() {
  let now = 1_000_000;
  const gate = new UnknownKeyIdGate(10_000, () => now);
  const calls: string[] = [];
  const verify = (kid: string, outcome: 'ok' | string = 'ok', delayMs = 0) => () => {
    calls.push(kid);
    return new Promise<string>((resolve, reject) =>
      setTimeout(() => (outcome === 'ok' ? resolve(kid) : reject(new AuthenticationFailure(outcome))), delayMs),
    );
  };
  return { gate, calls, verify, advance: (ms: number) => (now += ms) };
}

const reasonOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof AuthenticationFailure ? error.reason : 'other'),
  );

describe('UnknownKeyIdGate', () => {
  it('lets one unknown kid per interval reach Clerk; random kids after it are refused unverified', async () => {
    const { gate, calls, verify, advance } = setup();
    expect(await reasonOf(gate.run('kid_random1', verify('kid_random1', 'jwk-kid-mismatch')))).toBe('jwk-kid-mismatch');
    for (let i = 2; i < 100; i++) expect(await reasonOf(gate.run(`kid_random${i}`, verify(`kid_random${i}`)))).toBe('jwk-kid-unknown');
    expect(calls).toEqual(['kid_random1']);
    advance(10_000);
    expect(await reasonOf(gate.run('kid_random100', verify('kid_random100', 'jwk-kid-mismatch')))).toBe('jwk-kid-mismatch');
    expect(calls).toHaveLength(2);
  });

  it('learns a kid Clerk knows, even from a token that failed for another reason, and never throttles it', async () => {
    const { gate, calls, verify } = setup();
    expect(await reasonOf(gate.run('ins_real', verify('ins_real', 'token-expired')))).toBe('token-expired');
    for (let i = 0; i < 5; i++) expect(await reasonOf(gate.run('ins_real', verify('ins_real')))).toBe('ok');
    expect(calls).toHaveLength(6);
  });

  it('makes concurrent tokens with a new kid wait for the one probe instead of failing', async () => {
    const { gate, calls, verify } = setup();
    const answers = await Promise.all(Array.from({ length: 20 }, () => reasonOf(gate.run('ins_new', verify('ins_new', 'ok', 20)))));
    expect(answers).toEqual(Array.from({ length: 20 }, () => 'ok'));
    expect(calls).toHaveLength(20);
  });
});
