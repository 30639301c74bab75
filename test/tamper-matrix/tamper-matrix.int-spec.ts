import Database from 'better-sqlite3';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalize, canonicalizeWithout, encodeVerifierKey, generateEd25519Pem, Keyring, sealEvent, sha256Hex, type EventMetadata } from '@ledgerline/integrity';
import { ORIGIN, writeSealedLedger, type SealedLedger } from './support/sealed-ledger.fixture';
import { runVerifier, type VerifierRun } from './support/verifier-process';

interface Row {
  position: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

let dir: string;
let ledger: SealedLedger;
let copies = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tamper-matrix-'));
  ledger = await writeSealedLedger(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keys = (): string[] => ['--jwks', ledger.jwksFile, '--log-key', ledger.logKeyFile];

/** A copy of the untampered store with `edit` applied at the SQLite level (never through the app). */
function tampered(edit: (db: Database.Database) => void): string {
  const file = path.join(dir, `case-${++copies}.sqlite`);
  copyFileSync(ledger.eventsFile, file);
  const db = new Database(file);
  try {
    edit(db);
  } finally {
    db.close();
  }
  return file;
}

function rowOf(db: Database.Database, stream: string, revision: number): Row {
  const row = db.prepare('SELECT * FROM events WHERE stream = ? AND revision = ?').get(stream, revision) as Row | undefined;
  if (!row) throw new Error(`no ${stream}@${revision}`);
  return row;
}

/** Looks a row up in the untampered store (positions never change in the copies unless a case moves them). */
function original(stream: string, revision: number): Row {
  const db = new Database(ledger.eventsFile, { readonly: true });
  try {
    return rowOf(db, stream, revision);
  } finally {
    db.close();
  }
}

/**
 * Runs verify-store as a user would, and again cut into slices of 3 events over 3 workers (so slices
 * come back out of order and every worker numbers streams of its own): both runs must agree.
 */
function verifyStore(file: string, ...extra: string[]): VerifierRun {
  const run = runVerifier(['verify-store', '--events', file, ...keys(), '--json', ...extra]);
  const sliced = runVerifier(['verify-store', '--events', file, ...keys(), '--json', '--slice-size', '3', '--workers', '3', ...extra]);
  const timeless = (r: VerifierRun) => ({ status: r.status, stderr: r.stderr, report: { ...r.report, seconds: 0, cpuSeconds: 0 } });
  expect(timeless(sliced)).toEqual(timeless(run));
  return run;
}

/** Exit 1, and the first failure names its kind and location in the JSON report and on stderr. */
function expectInvalid(run: VerifierRun, expected: { kind: string; stream: string; revision: number; position: number }): void {
  expect({ status: run.status, failure: run.report?.firstFailure }).toMatchObject({ status: 1, failure: expected });
  expect(run.report?.ok).toBe(false);
  expect(run.stderr).toContain(`INVALID: ${expected.kind} at stream ${expected.stream} revision ${expected.revision} position ${expected.position}:`);
}

describe('verify-store on the untampered store', () => {
  it('exits 0 in full and in fast mode and counts what it checked', () => {
    const db = new Database(ledger.eventsFile, { readonly: true });
    const rows = (db.prepare('SELECT count(*) FROM events').pluck().get() as number) ?? 0;
    db.close();
    for (const mode of [[], ['--fast']]) {
      const run = verifyStore(ledger.eventsFile, ...mode);
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      expect(run.report).toMatchObject({ ok: true, command: 'verify-store', checked: { events: rows, streams: 5, checkpoints: 3, leaves: rows - 3 } });
    }
  });

  it('accepts the saved checkpoint with --since and prints a summary without --json', () => {
    const run = runVerifier(['verify-store', '--events', ledger.eventsFile, ...keys(), '--since', ledger.savedNoteFile]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^OK: \d+ events in 5 streams, \d+ Merkle leaves and 3 checkpoints verified, extending the saved checkpoint of size \d+/);
  });

  it('never writes to the evidence file', () => {
    const before = readFileSync(ledger.eventsFile);
    expect(verifyStore(ledger.eventsFile).status).toBe(0);
    expect(readFileSync(ledger.eventsFile).equals(before)).toBe(true);
  });
});

describe('tamper matrix: each edit is found and named', () => {
  it('(1) a changed data field', () => {
    const target = original('document-a', 2);
    const file = tampered((db) => db.prepare("UPDATE events SET data = json_set(data, '$.n', 999) WHERE position = ?").run(target.position));
    expectInvalid(verifyStore(file), { kind: 'data-hash', stream: 'document-a', revision: 2, position: target.position });
    expectInvalid(verifyStore(file, '--fast'), { kind: 'data-hash', stream: 'document-a', revision: 2, position: target.position });
  });

  it('(2) a changed metadata field', () => {
    const target = original('account-c', 1);
    const file = tampered((db) => db.prepare("UPDATE events SET metadata = json_set(metadata, '$.actor.id', 'user_mallory') WHERE position = ?").run(target.position));
    expectInvalid(verifyStore(file), { kind: 'hash', stream: 'account-c', revision: 1, position: target.position });
  });

  it('(3) a deleted event: the next revision of its stream names the gap', () => {
    const next = original('document-a', 4);
    const file = tampered((db) => db.prepare('DELETE FROM events WHERE stream = ? AND revision = 3').run('document-a'));
    expectInvalid(verifyStore(file), { kind: 'gap', stream: 'document-a', revision: 4, position: next.position });
  });

  it('(4) a deleted whole stream: the first checkpoint over it no longer matches the rebuilt tree', () => {
    const checkpoint = original('audit-checkpoints', 0);
    const file = tampered((db) => db.prepare('DELETE FROM events WHERE stream = ?').run('document-d'));
    const run = verifyStore(file, '--fast');
    expectInvalid(run, { kind: 'checkpoint-root', stream: 'audit-checkpoints', revision: 0, position: checkpoint.position });
    expect(run.report?.firstFailure?.reason).toMatch(/leaves 0\.\.\d+ \(positions \d+\.\.\d+\)/);
  });

  it('(5) two events of different streams swapped: chains hold, the tree does not', () => {
    const a = original('document-a', 0);
    const b = original('document-b', 0);
    expect(b.position).toBe(a.position + 1);
    const file = tampered((db) => swapRows(db, a, b));
    expectInvalid(verifyStore(file), { kind: 'checkpoint-root', stream: 'audit-checkpoints', revision: 0, position: original('audit-checkpoints', 0).position });
  });

  it('(5b) two events of one stream swapped: the chain breaks where the later one now sits', () => {
    const first = original('document-a', 1);
    const second = original('document-a', 2);
    const file = tampered((db) => swapRows(db, first, second));
    expectInvalid(verifyStore(file), { kind: 'gap', stream: 'document-a', revision: 2, position: first.position });
  });

  it('(6) the log tail truncated with every later checkpoint: consistent on its own, caught with --since', () => {
    const keep = original('audit-checkpoints', 1);
    const file = tampered((db) => db.prepare('DELETE FROM events WHERE position > ?').run(keep.position));
    expect(verifyStore(file).status).toBe(0);
    const run = verifyStore(file, '--since', ledger.savedNoteFile);
    expectInvalid(run, { kind: 'since-truncated', stream: 'audit-checkpoints', revision: 1, position: keep.position });
    expect(run.report?.firstFailure?.reason).toContain(`covers ${ledger.savedNoteSize} leaves`);
    expect(verifyStore(file, '--since', ledger.savedNoteFile, '--fast').report?.firstFailure?.kind).toBe('since-truncated');
  });

  it('(7) a row inserted behind the app\'s back', () => {
    const inserted = { position: 0, revision: 0 };
    const file = tampered((db) => {
      inserted.revision = (db.prepare('SELECT max(revision) FROM events WHERE stream = ?').pluck().get('document-b') as number) + 1;
      const result = db
        .prepare('INSERT INTO events (id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)')
        .run(randomUUID(), 'document-b', inserted.revision, 'DocumentDeleted', '{"documentId":"document-b"}', '{"$correlationId":"x"}');
      inserted.position = Number(result.lastInsertRowid);
    });
    expectInvalid(verifyStore(file, '--fast'), { kind: 'unsealed', stream: 'document-b', ...inserted });
  });

  it('(7b) a row inserted far ahead of the log (position beyond 2^53), named exactly', () => {
    const position = 2n ** 60n + 5n;
    const file = tampered((db) =>
      db
        .prepare('INSERT INTO events (position, id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(position, randomUUID(), 'document-x', 0, 'DocumentCreated', '{}', '{}'),
    );
    const run = verifyStore(file, '--fast');
    expect(run.status).toBe(1);
    expect(run.report?.firstFailure).toMatchObject({ kind: 'unsealed', stream: 'document-x', revision: 0, position: position.toString() });
  });

  it('(8) an event re-sealed with a key not in the JWKS, with a correct hash', async () => {
    const target = original('document-b', 1);
    const mallory = await Keyring.create({ signingKey: generateEd25519Pem() });
    const file = tampered((db) => {
      const m = JSON.parse(target.metadata) as EventMetadata;
      const resealed = sealEvent(
        { id: m.id, stream: m.stream, revision: m.revision, type: m.type, time: m.time, actor: m.actor, correlationId: m.$correlationId, causationId: m.$causationId, data: JSON.parse(target.data), prevHash: m.prev },
        mallory,
      );
      expect(resealed.hash).toBe(m.hash);
      db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(JSON.stringify(resealed), target.position);
    });
    expectInvalid(verifyStore(file), { kind: 'unknown-key', stream: 'document-b', revision: 1, position: target.position });
    // Fast mode checks no event signature (and says so in --help): the re-sealed hash is the original one.
    expect(verifyStore(file, '--fast').status).toBe(0);
  });

  it('(9) a checkpoint note altered in place', () => {
    const target = original('audit-checkpoints', 1);
    const file = tampered((db) => {
      const data = JSON.parse(target.data) as { note: string };
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...data, note: data.note.replace(/\n(\d+)\n/, (_, n) => `\n${Number(n) + 1}\n`) }), target.position);
    });
    expectInvalid(verifyStore(file, '--fast'), { kind: 'data-hash', stream: 'audit-checkpoints', revision: 1, position: target.position });
  });

  it('(9b) a checkpoint note altered with its data, dataHash and hash recomputed', () => {
    const target = original('audit-checkpoints', 1);
    const forgedRoot = Buffer.alloc(32, 7).toString('base64');
    const file = tampered((db) => {
      const data = JSON.parse(target.data) as { note: string; rootHash: string };
      const forged = { ...data, note: data.note.replace(data.rootHash, forgedRoot), rootHash: forgedRoot };
      const m = JSON.parse(target.metadata) as EventMetadata;
      m.dataHash = sha256Hex(canonicalize(forged));
      m.hash = sha256Hex(canonicalizeWithout(m, ['hash', 'sig']));
      db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(JSON.stringify(forged), JSON.stringify(m), target.position);
    });
    const where = { stream: 'audit-checkpoints', revision: 1, position: target.position };
    expectInvalid(verifyStore(file), { kind: 'signature', ...where });
    expectInvalid(verifyStore(file, '--fast'), { kind: 'checkpoint-note', ...where });
  });
});

describe('usage errors exit 2', () => {
  it.each([
    ['an unknown command', ['verify-everything'], 'unknown command "verify-everything"'],
    ['no command', [], 'Usage: ledgerline-verify'],
  ])('%s, with the usage text', (_label, args, message) => {
    const run = runVerifier(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Usage: ledgerline-verify');
  });

  it.each([
    ['an unknown option', ['verify-store', '--events', 'x.sqlite', '--jwks', 'j', '--log-key', 'k', '--quick'], 'verify-store: unknown option --quick'],
    ['a missing required option', ['verify-store', '--events', 'x.sqlite'], 'verify-store: --jwks is required'],
    ['a malformed log key', ['consistency', '--old', 'a', '--new', 'b', '--proof', 'p', '--log-key', 'not-a-key'], '--log-key: not a note verifier key'],
  ])('%s, named', (_label, args, message) => {
    const run = runVerifier(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Run ledgerline-verify --help');
  });

  it('a missing store file, named in the message', () => {
    const missing = path.join(dir, 'nope.sqlite');
    const run = runVerifier(['verify-store', '--events', missing, ...keys()]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`--events ${missing}: no such file`);
  });

  it('a file that is not an event store', () => {
    const junk = path.join(dir, 'junk.sqlite');
    writeFileSync(junk, 'not a database at all, just text'.repeat(64));
    const run = runVerifier(['verify-store', '--events', junk, ...keys()]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('is not a Ledgerline event store');
  });
});

describe('consistency between two saved checkpoints', () => {
  const args = (proof: string, oldNote = ledger.consistency.oldNoteFile, newNote = ledger.consistency.newNoteFile) => [
    'consistency',
    '--old',
    oldNote,
    '--new',
    newNote,
    '--proof',
    proof,
    '--log-key',
    ledger.logKeyFile,
    '--json',
  ];

  it('accepts the stored tree\'s proof, from a file or inline', () => {
    expect(runVerifier(args(ledger.consistency.proofFile)).status).toBe(0);
    const inline = readFileSync(ledger.consistency.proofFile, 'utf8').trim().split('\n').join(',');
    expect(runVerifier(args(inline)).report).toMatchObject({ ok: true, command: 'consistency', checked: { checkpoints: 2 } });
  });

  it('rejects an altered proof hash and swapped checkpoints', () => {
    const hashes = readFileSync(ledger.consistency.proofFile, 'utf8').trim().split('\n');
    hashes[0] = Buffer.alloc(32, 1).toString('base64');
    const bad = runVerifier(args(hashes.join(',')));
    expect(bad.status).toBe(1);
    expect(bad.report?.firstFailure?.kind).toBe('consistency');
    expect(runVerifier(args(ledger.consistency.proofFile, ledger.consistency.newNoteFile, ledger.consistency.oldNoteFile)).status).toBe(1);
  });
});

describe('an evidence bundle written from the real store (integrity lib BundleWriter)', () => {
  const pins = (): string[] => ['--log-key', ledger.logKeyFile, '--jwks', ledger.jwksFile];
  const lines = (): Buffer[] => {
    const bytes = readFileSync(ledger.bundleFile);
    const out: Buffer[] = [];
    for (let start = 0; start < bytes.length; ) {
      const nl = bytes.indexOf(10, start);
      out.push(bytes.subarray(start, nl + 1));
      start = nl + 1;
    }
    return out;
  };
  const variant = (parts: Buffer[]): string => {
    const file = path.join(dir, `bundle-${++copies}.ndjson`);
    writeFileSync(file, Buffer.concat(parts));
    return file;
  };
  const verifyBundle = (file: string, ...extra: string[]) => runVerifier(['bundle', file, '--json', ...extra]);

  it('verifies with pinned keys: every checkpointed event, in the streams it spans', () => {
    const run = verifyBundle(ledger.bundleFile, ...pins());
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.report).toMatchObject({ ok: true, command: 'bundle', keysSelfAsserted: false, checked: { events: ledger.savedNoteSize, streams: 4, checkpoints: 1 } });
  });

  it('verifies with the header\'s own keys but says they are self-asserted, and reads stdin', () => {
    const run = runVerifier(['bundle', '-', '--json'], readFileSync(ledger.bundleFile));
    expect(run.status).toBe(0);
    expect(run.report?.keysSelfAsserted).toBe(true);
    expect(run.stderr).toContain('keys are self-asserted');
  });

  it('fails with a pinned log key that did not sign the checkpoint', () => {
    const otherKey = path.join(dir, 'other-log-key.txt');
    writeFileSync(otherKey, newLogKeyText());
    const run = verifyBundle(ledger.bundleFile, '--log-key', otherKey, '--jwks', ledger.jwksFile);
    expect(run.status).toBe(1);
    expect(run.report?.firstFailure).toMatchObject({ kind: 'checkpoint', line: 1 });
  });

  it('fails on a single-byte change anywhere in an event line, naming that line or the trailer', () => {
    const all = lines();
    const target = 4;
    const line = all[target - 1];
    const offsets = Array.from({ length: 12 }, (_, i) => Math.floor((i * (line.length - 2)) / 11));
    for (const offset of offsets) {
      const changed = Buffer.from(line);
      changed[offset] = changed[offset] === 0x41 ? 0x42 : 0x41;
      const run = verifyBundle(variant([...all.slice(0, target - 1), changed, ...all.slice(target)]), ...pins());
      expect({ offset, status: run.status }).toEqual({ offset, status: 1 });
      expect([target, all.length]).toContain(run.report?.firstFailure?.line);
    }
  });

  it('fails on a dropped event line', () => {
    const all = lines();
    const run = verifyBundle(variant([...all.slice(0, 5), ...all.slice(6)]), ...pins());
    expect(run.status).toBe(1);
    expect(run.report?.firstFailure).toMatchObject({ kind: 'count', line: all.length - 1 });
  });

  it('fails without its trailer (truncated)', () => {
    const all = lines();
    const run = verifyBundle(variant(all.slice(0, -1)), ...pins());
    expect(run.status).toBe(1);
    expect(run.report?.firstFailure).toMatchObject({ kind: 'truncated', line: all.length });
    expect(run.stderr).toContain(`INVALID: truncated at line ${all.length}:`);
  });
});

function newLogKeyText(): string {
  return encodeVerifierKey(ORIGIN, generateKeyPairSync('ed25519').publicKey);
}

/** Swaps everything but the positions of two rows (as if their commits had been reordered). */
function swapRows(db: Database.Database, a: Row, b: Row): void {
  const insert = db.prepare('INSERT INTO events (position, id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    db.prepare('DELETE FROM events WHERE position IN (?, ?)').run(a.position, b.position);
    insert.run(a.position, b.id, b.stream, b.revision, b.type, b.data, b.metadata);
    insert.run(b.position, a.id, a.stream, a.revision, a.type, a.data, a.metadata);
  })();
}
