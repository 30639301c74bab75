import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { b64Encode, checkWitnessQuorum, encodeCosignerKey, encodeVerifierKey, generateEd25519Pem, InMemoryMerkleTree, parseCosignerKey, signCheckpoint, type NoteVerifierKey } from '@ledgerline/integrity';
import { startWitnessProcess, stopWitness, type WitnessProcess } from '../../../test/support/witness-process';

const ORIGIN = 'example.test/log-a';
const OTHER_ORIGIN = 'example.test/log-b';

/** A log: its real key and a tree we append leaves to; `fork` copies the first n leaves and diverges after. */
class TestLog {
  readonly tree = new InMemoryMerkleTree();
  constructor(
    readonly origin: string,
    readonly key: KeyObject,
  ) {}
  grow(to: number, salt = 'a'): this {
    while (this.tree.size < to) this.tree.appendLeafInput(Buffer.from(`${salt}-${this.tree.size}`));
    return this;
  }
  note(size = this.tree.size): string {
    return signCheckpoint({ origin: this.origin, size, rootHash: this.tree.root(size) }, this.key);
  }
  body(oldSize: number, size = this.tree.size): string {
    const proof = oldSize === 0 || oldSize === size ? [] : this.tree.consistencyProof(oldSize, size);
    return `old ${oldSize}\n${proof.map((hash) => `${b64Encode(hash)}\n`).join('')}\n${this.note(size)}`;
  }
}

describe('ledgerline-witness (c2sp.org/tlog-witness add-checkpoint, real process)', () => {
  const logKey = generateKeyPairSync('ed25519');
  const otherLogKey = generateKeyPairSync('ed25519');
  const strangerKey = generateKeyPairSync('ed25519');
  let dir: string;
  let env: Record<string, string>;
  let witnessKey: NoteVerifierKey;
  let witness: WitnessProcess;

  const post = (body: string | Buffer, w = witness) => fetch(`${w.baseUrl}/add-checkpoint`, { method: 'POST', body });
  const expectStatus = async (response: Response, status: number): Promise<string> => {
    const text = await response.text();
    expect({ status: response.status, text }).toEqual({ status, text: expect.any(String) });
    return text;
  };
  const cosigns = async (log: TestLog, oldSize: number): Promise<void> => {
    const text = await expectStatus(await post(log.body(oldSize)), 200);
    expect(checkWitnessQuorum(log.note() + text, [witnessKey], 1)).toMatchObject({ ok: true });
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-witness-'));
    const pem = generateEd25519Pem();
    writeFileSync(path.join(dir, 'witness.pem'), pem, { mode: 0o600 });
    witnessKey = parseCosignerKey(encodeCosignerKey('witness.test/w1', createPrivateKey(pem)));
    env = {
      WITNESS_NAME: 'witness.test/w1',
      WITNESS_KEY_FILE: path.join(dir, 'witness.pem'),
      WITNESS_DATA_DIR: path.join(dir, 'state'),
      WITNESS_LOG_KEYS: `${encodeVerifierKey(ORIGIN, logKey.publicKey)},${encodeVerifierKey(OTHER_ORIGIN, otherLogKey.publicKey)}`,
    };
    witness = await startWitnessProcess(env);
  });
  afterAll(async () => {
    await stopWitness(witness);
    rmSync(dir, { recursive: true, force: true });
  });

  const log = new TestLog(ORIGIN, logKey.privateKey);
  const fork = new TestLog(ORIGIN, logKey.privateKey);

  it('cosigns a first checkpoint, answers 409 text/x.tlog.size with its size to a stale old size, and cosigns a consistent extension', async () => {
    await cosigns(log.grow(3), 0);
    log.grow(5);
    const conflict = await post(log.body(0));
    expect(conflict.headers.get('content-type')).toBe('text/x.tlog.size');
    expect(await expectStatus(conflict, 409)).toBe('3\n');
    await cosigns(log, 3);
    // Cosigning the very same tree again is allowed (a client retrying after a lost answer).
    await cosigns(log, 5);
  });

  it('refuses a proof that does not verify (422), an unknown origin (404), a note no trusted key signed (403), malformed and oversized bodies (400)', async () => {
    log.grow(8);
    const proof = log.tree.consistencyProof(5, 8);
    proof[0] = Buffer.alloc(32, 7);
    await expectStatus(await post(`old 5\n${proof.map((h) => `${b64Encode(h)}\n`).join('')}\n${log.note()}`), 422);
    await expectStatus(await post(new TestLog('unknown.test/log', logKey.privateKey).grow(2).body(0)), 404);
    await expectStatus(await post(new TestLog(ORIGIN, strangerKey.privateKey).grow(8).body(5)), 403);
    for (const body of ['', 'old 05\n\nx', 'old 1\n', `old 9\n\n${log.note()}`, `old 5\nnot-base64\n\n${log.note()}`, `old 0\n\n${ORIGIN}\n8\n`]) {
      await expectStatus(await post(body), 400);
    }
    await expectStatus(await post(Buffer.alloc(70 * 1024, 0x61)), 400);
    await expectStatus(await fetch(`${witness.baseUrl}/add-checkpoint`), 405);
    // Nothing refused moved the witness: it still holds 5.
    expect(await (await post(log.body(0))).text()).toBe('5\n');
  });

  it('serves many logs, each with its own state', async () => {
    const other = new TestLog(OTHER_ORIGIN, otherLogKey.privateKey).grow(2);
    await cosigns(other, 0);
    expect(await (await post(log.body(0))).text()).toBe('5\n');
  });

  it('split view: refuses a second checkpoint of the same size signed with the real key over a forked tree, also after a restart from its file', async () => {
    // The fork shares leaves 0..2 with the log, then diverges; the log's own key signs both.
    fork.grow(3).grow(5, 'fork');
    expect(fork.tree.root(5).equals(log.tree.root(5))).toBe(false);
    await expectStatus(await post(fork.body(5)), 422);
    expect(await expectStatus(await post(fork.body(3)), 409)).toBe('5\n');
    await stopWitness(witness);
    witness = await startWitnessProcess(env);
    await expectStatus(await post(fork.body(5)), 422);
    // The log itself (size 5 → 8) is still cosigned.
    await cosigns(log, 5);
    const monitored = await fetch(`${witness.baseUrl}/${createHash('sha256').update(ORIGIN).digest('hex')}/checkpoint`);
    expect(checkWitnessQuorum(await expectStatus(monitored, 200), [witnessKey], 1)).toMatchObject({ ok: true });
  });

  it('kill -9 after storing and before answering: the new checkpoint survived; before storing: nothing changed', async () => {
    await stopWitness(witness);
    witness = await startWitnessProcess({ ...env, WITNESS_TEST_CRASH_POINT: 'after-store' });
    expect(await (await post(log.body(0))).text()).toBe('8\n');
    log.grow(10);
    await expect(post(log.body(8))).rejects.toThrow();
    expect((await witness.exited).signal).toBe('SIGKILL');
    witness = await startWitnessProcess({ ...env, WITNESS_TEST_CRASH_POINT: 'after-verify' });
    expect(await (await post(log.body(0))).text()).toBe('10\n');
    log.grow(12);
    await expect(post(log.body(10))).rejects.toThrow();
    expect((await witness.exited).signal).toBe('SIGKILL');
    witness = await startWitnessProcess(env);
    expect(await (await post(log.body(0))).text()).toBe('10\n');
    await cosigns(log, 10);
  });
});
