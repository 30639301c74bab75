import { MAX_VERDICTS_IN_FLIGHT, SESSION_VERDICT_TIMEOUT_MS, offThreadVerdicts, type SessionVerdictQuestion } from './off-thread-verdicts';

const settings = { key: { jwtKey: 'pem' }, authorizedParties: [] };

describe('asking another thread for session verdicts', () => {
  it('passes the token, the settings and the deadline, and takes back a well-formed verdict only', async () => {
    const asked: [SessionVerdictQuestion, number][] = [];
    let answer: unknown = { claims: { sub: 'user_alice' } };
    const verdicts = offThreadVerdicts(async (question, timeoutMs) => {
      asked.push([question, timeoutMs]);
      return answer;
    });
    await expect(verdicts('t.o.k', settings)).resolves.toEqual({ claims: { sub: 'user_alice' } });
    expect(asked).toEqual([[{ token: 't.o.k', settings }, SESSION_VERDICT_TIMEOUT_MS]]);
    // A thread that could not answer (null), a timeout (undefined) or anything malformed: verify here.
    for (answer of [null, undefined, { claims: 'forged' }, { admin: true }]) await expect(verdicts('t.o.k', settings)).resolves.toBeUndefined();
  });

  it('stops asking a thread that is behind: past the in-flight limit the asking thread verifies', async () => {
    const pending: ((value: unknown) => void)[] = [];
    const verdicts = offThreadVerdicts(() => new Promise((resolve) => pending.push(resolve)));
    const waiting = Array.from({ length: MAX_VERDICTS_IN_FLIGHT }, () => verdicts('t.o.k', settings));
    await expect(verdicts('one.too.many', settings)).resolves.toBeUndefined();
    expect(pending).toHaveLength(MAX_VERDICTS_IN_FLIGHT);
    for (const resolve of pending) resolve({ refused: 'token-expired' });
    await expect(Promise.all(waiting)).resolves.toEqual(Array(MAX_VERDICTS_IN_FLIGHT).fill({ refused: 'token-expired' }));
    // Answered, they no longer count: the next one is asked again.
    void verdicts('t.o.k', settings);
    expect(pending).toHaveLength(MAX_VERDICTS_IN_FLIGHT + 1);
  });
});
