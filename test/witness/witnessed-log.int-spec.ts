import { execFile } from 'node:child_process';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  BundleVerifier,
  checkWitnessQuorum,
  encodeCosignerKey,
  encodeVerifierKey,
  generateEd25519Pem,
  InMemoryMerkleTree,
  parseCheckpoint,
  parseCosignerKey,
  signCheckpoint,
  splitNote,
  verifyTlogProof,
  type BundleReport,
  type BundleVerifyOptions,
  type NoteVerifierKey,
} from '@ledgerline/integrity';
import { loadOrCreateDevAuthKey } from '../../apps/api/src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../../apps/api/src/contexts/access/authentication/dev-token';
import { DEV_AUTHORIZED_PARTY } from '../../apps/api/src/contexts/access/authentication/verifier-settings';
import { randomPort, REPO_ROOT, startApiProcess, WORKER_MAIN, type ApiProcess } from '../support/api-process';
import { eventually } from '../support/eventually';
import { startWitnessProcess, stopWitness, type WitnessProcess } from '../support/witness-process';

const ORIGIN = 'ledgerline.test/witnessed-log';
const METRICS_TOKEN = 'witness-test-metrics-token';
const VERIFY_CLI = path.join(REPO_ROOT, 'dist/apps/verifier/src/main.js');

/** Parts 1–5 of issue 21 end to end: two real witness processes, the real API process, the offline verifier. */
describe('a log witnessed by two witnesses with a quorum of 2 (real processes)', () => {
  let dir: string;
  let api: ApiProcess;
  const witnesses: WitnessProcess[] = [];
  const witnessEnv: Record<string, string>[] = [];
  let witnessKeys: NoteVerifierKey[];
  let logVkey: string;
  let checkpointPem: string;
  let bundle: string;

  const token = (userId: string, mfa = false) =>
    mintDevToken(loadOrCreateDevAuthKey(path.join(dir, 'api')).privateKey, { userId, azp: DEV_AUTHORIZED_PARTY, ttlSeconds: 600, secondFactorAgeMinutes: mfa ? 1 : null });
  const call = (method: string, route: string, user?: string, body?: unknown) =>
    fetch(`${api.baseUrl}${route}`, {
      method,
      headers: { ...(user ? { authorization: `Bearer ${token(user, user === 'user_compliance')}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const published = async (): Promise<string | undefined> => {
    const response = await call('GET', '/v1/audit/checkpoints/latest');
    return response.status === 200 ? response.text() : undefined;
  };
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${api.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const line = text.split('\n').find((l) => l.startsWith(name));
    return line === undefined ? 0 : Number(line.split(' ').pop());
  };
  const createDocument = async (title: string): Promise<string> => {
    const created = await call('POST', '/v1/documents', 'user_alice', { title, body: 'witnessed' });
    expect(created.status).toBe(201);
    return ((await created.json()) as { id: string }).id;
  };
  const verify = async (text: string, options: BundleVerifyOptions): Promise<BundleReport> => {
    const verifier = new BundleVerifier({ pinnedLogKey: logVkey, ...options });
    for (const line of text.slice(0, -1).split('\n')) if (!(await verifier.line(line))) break;
    return verifier.finish();
  };
  const quorumOf = (k: number) => ({ keys: witnessKeys, quorum: k });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-witnessed-'));
    checkpointPem = generateEd25519Pem();
    writeFileSync(path.join(dir, 'checkpoint.pem'), checkpointPem, { mode: 0o600 });
    logVkey = encodeVerifierKey(ORIGIN, createPrivateKey(checkpointPem));
    witnessKeys = [];
    for (const n of [1, 2]) {
      const pem = generateEd25519Pem();
      writeFileSync(path.join(dir, `w${n}.pem`), pem, { mode: 0o600 });
      witnessKeys.push(parseCosignerKey(encodeCosignerKey(`witness.test/w${n}`, createPrivateKey(pem))));
      witnessEnv.push({ WITNESS_NAME: `witness.test/w${n}`, WITNESS_KEY_FILE: path.join(dir, `w${n}.pem`), WITNESS_DATA_DIR: path.join(dir, `w${n}`), WITNESS_LOG_KEYS: logVkey });
      witnesses.push(await startWitnessProcess(witnessEnv[n - 1]));
    }
    // The worker process (`npm run worker`) serves the API too, with the notary on its main thread, so
    // its /metrics shows the notary's and the witnessing's metrics from its own registry.
    api = await startApiProcess(
      {
        DATA_DIR: path.join(dir, 'api'),
        CHECKPOINT_KEY_FILE: path.join(dir, 'checkpoint.pem'),
        AUDIT_LOG_ORIGIN: ORIGIN,
        CHECKPOINT_INTERVAL_MS: '200',
        WITNESS_URLS: witnesses.map((w) => w.baseUrl).join(','),
        WITNESS_KEYS: witnessKeys.map((k) => k.vkey).join(','),
        WITNESS_QUORUM: '2',
        METRICS_TOKEN,
        RATE_LIMIT_IP_PER_MIN: '0',
        RATE_LIMIT_USER_PER_MIN: '0',
      },
      randomPort(),
      WORKER_MAIN,
    );
  }, 90_000);
  afterAll(async () => {
    if (api) {
      api.child.kill('SIGTERM');
      await api.exited;
    }
    for (const witness of witnesses) await stopWitness(witness);
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes only checkpoints both witnesses cosigned: the latest route, receipts and evidence bundles carry the quorum', async () => {
    const id = await createDocument('first');
    const note = await eventually(published, 'a witnessed checkpoint', 45_000);
    expect(checkWitnessQuorum(note, witnessKeys, 2)).toMatchObject({ ok: true, cosignatures: [{ name: 'witness.test/w1' }, { name: 'witness.test/w2' }] });

    const exported = await call('POST', '/v1/audit/exports?waitForCheckpoint=true', 'user_compliance', { stream: `document-${id}` });
    expect(exported.status).toBe(200);
    bundle = await exported.text();
    expect(await verify(bundle, { witnesses: quorumOf(2) })).toMatchObject({ ok: true, count: 1, cosignatures: [{ name: 'witness.test/w1' }, { name: 'witness.test/w2' }] });
    const stranger = parseCosignerKey(encodeCosignerKey('witness.test/stranger', createPrivateKey(generateEd25519Pem())));
    expect(await verify(bundle, { witnesses: { keys: [witnessKeys[0], stranger], quorum: 2 } })).toMatchObject({ ok: false, firstFailure: { line: 1, reason: 'witness-quorum' } });

    const { items } = (await (await call('GET', `/v1/audit/events?stream=document-${id}`, 'user_compliance')).json()) as { items: { id: string }[] };
    const detail = (await (await call('GET', `/v1/audit/events/${items[0].id}`, 'user_compliance')).json()) as { metadata: { hash: string } };
    const receipt = await (await call('GET', `/v1/audit/events/${items[0].id}/receipt`, 'user_compliance')).text();
    expect(verifyTlogProof(detail.metadata.hash, receipt, logVkey, quorumOf(2))).toMatchObject({ ok: true });
    expect(verifyTlogProof(detail.metadata.hash, receipt, logVkey, { keys: witnessKeys, quorum: 3 })).toMatchObject({ ok: false, reason: 'witness-quorum' });
  }, 90_000);

  it('fails closed while a witness is down (metric and security event), and catches up when it is back', async () => {
    const port = witnesses[1].port;
    await stopWitness(witnesses[1]);
    await createDocument('while w2 is down');
    await eventually(async () => ((await metric('ledgerline_witness_failures_total{witness="witness.test/w2"}')) > 0 ? true : undefined), 'a witness failure metric', 45_000);
    // From here every round is short of the quorum: the log goes on signing, but shows nothing newer.
    const before = parseCheckpoint(splitNote((await published()) as string).text).size;
    await createDocument('still while w2 is down');
    await eventually(async () => ((await metric('ledgerline_notary_tree_size')) > before ? true : undefined), 'a newer signed checkpoint', 45_000);
    expect(parseCheckpoint(splitNote((await published()) as string).text).size).toBe(before);
    // Recorded as a security event: logged at once, sealed (aggregated per minute) when its window closes.
    await eventually(async () => (api.output().split('\n').some((line) => line.includes('"security event"') && line.includes('"witness-lagging"')) ? true : undefined), 'a witness-lagging security event', 45_000);

    witnesses[1] = await startWitnessProcess(witnessEnv[1], port);
    const caughtUp = await eventually(async () => {
      const note = await published();
      return note !== undefined && parseCheckpoint(splitNote(note).text).size > before ? note : undefined;
    }, 'the log witnessed again', 45_000);
    expect(checkWitnessQuorum(caughtUp, witnessKeys, 2)).toMatchObject({ ok: true });
  }, 90_000);

  it('split view: both witnesses refuse a fork the log key signed at the witnessed size, and the verifier refuses a bundle whose checkpoint lacks the quorum', async () => {
    for (const witness of witnesses) {
      // The size this witness cosigned last (its 409 names it), and a fork of that size signed with the log's real key.
      const held = Number(await (await fetch(`${witness.baseUrl}/add-checkpoint`, { method: 'POST', body: `old 0\n\n${(await published()) as string}` })).text());
      expect(held).toBeGreaterThan(0);
      const fork = new InMemoryMerkleTree();
      for (let i = 0; i < held; i++) fork.appendLeafInput(randomBytes(32));
      const forkNote = signCheckpoint({ origin: ORIGIN, size: held, rootHash: fork.root() }, createPrivateKey(checkpointPem));
      const answer = await fetch(`${witness.baseUrl}/add-checkpoint`, { method: 'POST', body: `old ${held}\n\n${forkNote}` });
      expect({ status: answer.status, text: await answer.text() }).toEqual({ status: 422, text: 'a different root hash for the size this witness holds\n' });
    }
    const fork = new InMemoryMerkleTree();
    fork.appendLeafInput(randomBytes(32));
    const forkNote = signCheckpoint({ origin: ORIGIN, size: 1, rootHash: fork.root() }, createPrivateKey(checkpointPem));
    // The first bundle with its checkpoint stripped of the cosignatures, and with the fork: signed by the log, witnessed by no one.
    const header = JSON.parse(bundle.slice(0, bundle.indexOf('\n'))) as { checkpoint: string };
    const { text } = splitNote(header.checkpoint);
    const logSigned = `${text}\n${header.checkpoint.slice(text.length + 1).split('\n')[0]}\n`;
    const stripped = bundle.replace(JSON.stringify(header.checkpoint), JSON.stringify(logSigned));
    expect(await verify(stripped, { witnesses: quorumOf(1) })).toMatchObject({ ok: false, firstFailure: { line: 1, reason: 'witness-quorum' } });
    expect(await verify(bundle.replace(JSON.stringify(header.checkpoint), JSON.stringify(forkNote)), { witnesses: quorumOf(1) })).toMatchObject({
      ok: false,
      firstFailure: { line: 1, reason: 'witness-quorum' },
    });

    // The same through the CLI an officer runs, with the witness keys pinned.
    writeFileSync(path.join(dir, 'good.ndjson'), bundle);
    writeFileSync(path.join(dir, 'stripped.ndjson'), stripped);
    const pins = ['--log-key', logVkey, ...witnessKeys.flatMap((key) => ['--witness-key', key.vkey]), '--witness-quorum', '2'];
    const good = await promisify(execFile)(process.execPath, [VERIFY_CLI, 'bundle', path.join(dir, 'good.ndjson'), ...pins]);
    expect(good.stdout).toContain('cosigned by 2 pinned witnesses');
    const refused = await promisify(execFile)(process.execPath, [VERIFY_CLI, 'bundle', path.join(dir, 'stripped.ndjson'), ...pins]).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('fewer than the quorum of 2') });
  });
});
