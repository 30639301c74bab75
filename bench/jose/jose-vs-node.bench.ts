/**
 * jose against the hand-written node:crypto code, for what one create-document command does to its
 * event and its fields: seal (sign) one event — the §3 detached EdDSA JWS — and encrypt two fields
 * (§6 JWE dir/A256GCM; the title and 400-character body bench/http sends). Decrypting the two fields
 * (the read path) and loading the keys (start-up) are measured too, for reference.
 *
 *   npm run build && flock /work/bench.lock npm run bench:jose [-- --rounds 5 --seconds 1]
 *
 * Same run, same data: each round measures every variant for `seconds`, the variants alternating, and
 * the medians over rounds are shown. Asynchronous calls (jose's: its WebCrypto work runs on libuv's
 * pool) run 64 at a time, as 64 connections would bring them; node:crypto's synchronous ones one after
 * another. Per operation: wall-clock rate, µs of CPU of the whole process (every thread, the pool
 * included) and µs of CPU of this thread alone, the event loop (what the API's one request thread pays;
 * read from /proc/thread-self/schedstat, so Linux only).
 * Before timing, jose's outputs are checked against ours (the signature byte for byte; the JWEs decrypt
 * both ways). The budget is the event-loop time one create may take at 3,000 creates/s: 333 µs. The
 * last line of output is one JSON object.
 */
import { createSecretKey, KeyObject, randomBytes, sign, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { compactDecrypt, CompactEncrypt, FlattenedSign, importJWK } from 'jose';
import { decryptCompact, encryptCompact } from '@ledgerline/crypto';
import { generateEd25519Pem, jwksKeyMap, Keyring, sha256Hex } from '@ledgerline/integrity';
import { median } from '../http/latency';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const rounds = Number(args.get('rounds') ?? 5);
const seconds = Number(args.get('seconds') ?? 1);
const IN_FLIGHT = 64;
const BUDGET_US = 1e6 / 3000;
const TITLE = 'Benchmark document';
const BODY = 'x'.repeat(400);

interface Sample {
  perSecond: number;
  /** µs of CPU per operation, every thread of the process. */
  cpuMicros: number;
  /** µs of CPU per operation on this thread, the event loop: what the API's one request thread pays. */
  loopMicros: number;
}

/** CPU time of the calling thread in ns (Linux; Node 20 has no process.threadCpuUsage): unlike wall time, not inflated by a busy machine. */
function threadCpuNanos(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
}

/** Repeats `op` for `seconds`: synchronously, or `IN_FLIGHT` promises at a time. */
async function measure(op: () => unknown): Promise<Sample> {
  let n = 0;
  const cpu = process.cpuUsage();
  const loop = threadCpuNanos();
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    const first = op();
    if (first instanceof Promise) await Promise.all([first, ...Array.from({ length: IN_FLIGHT - 1 }, op)]);
    else for (let i = 1; i < IN_FLIGHT; i++) op();
    n += IN_FLIGHT;
    now = performance.now();
  }
  const used = process.cpuUsage(cpu);
  return { perSecond: n / ((now - start) / 1000), cpuMicros: (used.user + used.system) / n, loopMicros: (threadCpuNanos() - loop) / 1000 / n };
}


function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`jose and the hand-written code disagree: ${what}`);
}

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`jose vs node:crypto: ${rounds} round(s) × ${seconds} s per variant, ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  // Keys as the app holds them: the Keyring's private KeyObject, a subject's data key as a secret KeyObject.
  const keyring = await Keyring.create({ signingKey: generateEd25519Pem() });
  const kid = keyring.activeKid;
  const header = { alg: 'EdDSA', b64: false, crit: ['b64'], kid };
  const signKey = (await importJWK({ ...keyring.signingKey().export({ format: 'jwk' }), alg: 'EdDSA' })) as webcrypto.CryptoKey;
  const rawDataKey = randomBytes(32);
  const dataKey = createSecretKey(rawDataKey);
  const dataKid = randomBytes(16).toString('base64url');
  const aesKey = new Uint8Array(rawDataKey);
  const aesCryptoKey = await webcrypto.subtle.importKey('raw', rawDataKey, 'AES-GCM', false, ['encrypt', 'decrypt']);
  const hashes = Array.from({ length: 1024 }, (_, i) => sha256Hex(`event ${i}`));
  let next = 0;
  const hash = () => hashes[next++ & 1023];
  const utf8 = new TextEncoder();

  const joseSign = async (h: string, key: webcrypto.CryptoKey | KeyObject) => {
    const jws = await new FlattenedSign(utf8.encode(h)).setProtectedHeader(header).sign(key);
    return `${jws.protected}..${jws.signature}`;
  };
  const joseEncrypt = (text: string, key: Uint8Array | webcrypto.CryptoKey) =>
    new CompactEncrypt(utf8.encode(text)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: dataKid }).encrypt(key);
  const headerB64 = Buffer.from(JSON.stringify(header)).toString('base64url');
  const signOnPool = (h: string) =>
    new Promise<string>((resolve, reject) =>
      sign(null, Buffer.from(`${headerB64}.${h}`, 'latin1'), keyring.signingKey(), (error, signature) => (error ? reject(error) : resolve(`${headerB64}..${signature.toString('base64url')}`))),
    );
  const sealedFields = [encryptCompact(dataKey, dataKid, TITLE), encryptCompact(dataKey, dataKid, BODY)];

  for (const h of hashes.slice(0, 8)) check((await joseSign(h, signKey)) === keyring.sign(h), 'detached JWS');
  check((await joseSign(hashes[0], keyring.signingKey())) === keyring.sign(hashes[0]), 'detached JWS from the KeyObject');
  check((await signOnPool(hashes[0])) === keyring.sign(hashes[0]), 'detached JWS signed on the pool');
  check(decryptCompact(await joseEncrypt(BODY, aesKey), dataKey) === BODY, 'jose JWE read by decryptCompact');
  check(new TextDecoder().decode((await compactDecrypt(sealedFields[1], aesKey)).plaintext) === BODY, 'our JWE read by jose');
  check((await joseEncrypt(TITLE, aesCryptoKey)).split('.')[0] === sealedFields[0].split('.')[0], 'JWE protected header');

  const variants: [string, string, () => unknown][] = [
    ['sign 1 event', 'node:crypto (Keyring.sign)', () => keyring.sign(hash())],
    ['sign 1 event', 'jose FlattenedSign, CryptoKey', () => joseSign(hash(), signKey)],
    ['sign 1 event', 'jose FlattenedSign, KeyObject', () => joseSign(hash(), keyring.signingKey())],
    ['sign 1 event', 'node:crypto, callback form on the libuv pool (reference)', () => signOnPool(hash())],
    ['encrypt 2 fields', 'node:crypto (encryptCompact)', () => [encryptCompact(dataKey, dataKid, TITLE), encryptCompact(dataKey, dataKid, BODY)]],
    ['encrypt 2 fields', 'jose CompactEncrypt, key bytes', () => Promise.all([joseEncrypt(TITLE, aesKey), joseEncrypt(BODY, aesKey)])],
    ['encrypt 2 fields', 'jose CompactEncrypt, CryptoKey', () => Promise.all([joseEncrypt(TITLE, aesCryptoKey), joseEncrypt(BODY, aesCryptoKey)])],
    ['decrypt 2 fields', 'node:crypto (decryptCompact)', () => sealedFields.map((f) => decryptCompact(f, dataKey))],
    ['decrypt 2 fields', 'jose compactDecrypt, CryptoKey', () => Promise.all(sealedFields.map((f) => compactDecrypt(f, aesCryptoKey)))],
  ];
  const samples = new Map<string, Sample[]>(variants.map(([op, name]) => [`${op}|${name}`, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const [op, name, run] of variants) (samples.get(`${op}|${name}`) as Sample[]).push(await measure(run));
    log(`round ${round} done (load ${loadavg()[0].toFixed(2)})`);
  }

  const results = variants.map(([op, name]) => {
    const s = samples.get(`${op}|${name}`) as Sample[];
    return { op, name, perSecond: median(s.map((x) => x.perSecond)), cpuMicros: median(s.map((x) => x.cpuMicros)), loopMicros: median(s.map((x) => x.loopMicros)) };
  });
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  log('\n| operation | code | ops/s | × node:crypto | µs CPU per op, all threads | µs CPU per op, event loop |');
  log('|---|---|---|---|---|---|');
  for (const r of results) {
    const ours = results.find((x) => x.op === r.op) as (typeof results)[number];
    log(`| ${r.op} | ${r.name} | ${fmt(r.perSecond)} | ${(r.perSecond / ours.perSecond).toFixed(2)} | ${r.cpuMicros.toFixed(1)} | ${r.loopMicros.toFixed(1)} |`);
  }
  // Per create: one signed event and two encrypted fields; jose at its cheapest variant of each.
  const cheapest = (op: string, prefix: string) => results.filter((r) => r.op === op && r.name.startsWith(prefix)).sort((a, b) => a.loopMicros - b.loopMicros)[0];
  const perCreate = (prefix: string) => {
    const sign = cheapest('sign 1 event', prefix);
    const encrypt = cheapest('encrypt 2 fields', prefix);
    return {
      loopMicros: sign.loopMicros + encrypt.loopMicros,
      cpuMicros: sign.cpuMicros + encrypt.cpuMicros,
      sign: { variant: sign.name, loopMicros: sign.loopMicros, cpuMicros: sign.cpuMicros },
      encrypt: { variant: encrypt.name, loopMicros: encrypt.loopMicros, cpuMicros: encrypt.cpuMicros },
    };
  };
  const node = perCreate('node:crypto (');
  const jose = perCreate('jose');
  const pct = (us: number) => `${((100 * us) / BUDGET_US).toFixed(1)} %`;
  log(`\nper create (1 sign + 2 field encryptions), µs CPU on the event loop (share of the ${BUDGET_US.toFixed(0)} µs one create may take at 3,000/s) / µs CPU, all threads:`);
  for (const [label, c] of [
    ['node:crypto', node],
    ['jose', jose],
  ] as const) {
    log(
      `  ${label.padEnd(11)} sign ${c.sign.loopMicros.toFixed(1)} (${pct(c.sign.loopMicros)}) / ${c.sign.cpuMicros.toFixed(1)} + encrypt ${c.encrypt.loopMicros.toFixed(1)} (${pct(c.encrypt.loopMicros)}) / ${c.encrypt.cpuMicros.toFixed(1)}` +
        ` = ${c.loopMicros.toFixed(1)} µs (${pct(c.loopMicros)}) / ${c.cpuMicros.toFixed(1)} µs CPU`,
    );
  }

  // Start-up: what a key load costs now that it goes through jose.
  const startup = async (op: () => Promise<unknown>) => {
    const started = performance.now();
    for (let i = 0; i < 200; i++) await op();
    return ((performance.now() - started) * 1000) / 200;
  };
  const pem = generateEd25519Pem();
  const twoKeys = { keys: [...keyring.jwks().keys, ...(await Keyring.create({ signingKey: pem })).jwks().keys] };
  const keyringCreate = await startup(() => Keyring.create({ signingKey: pem, retired: keyring.jwks() }));
  const jwksImport = await startup(() => jwksKeyMap(twoKeys));
  log(`start-up through jose: Keyring.create with one retired key ${keyringCreate.toFixed(0)} µs; jwksKeyMap of a 2-key JWKS ${jwksImport.toFixed(0)} µs`);
  log(JSON.stringify({ rounds, seconds, inFlight: IN_FLIGHT, load: loadavg(), budgetMicros: BUDGET_US, results, perCreate: { node, jose }, startupMicros: { keyringCreate, jwksImport } }));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
