import * as crypto from 'node:crypto';
import { NoteError } from '../integrity.errors';
import { InMemoryMerkleTree } from '../merkle/in-memory-merkle-tree';
import { leafHash } from '../merkle/tree-hash';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint';
import { signNote } from './signed-note';
import { formatTlogProof, parseTlogProof, TLOG_PROOF_HEADER, verifyTlogProof } from './tlog-proof';
import { encodeVerifierKey, parseVerifierKey } from './verifier-key';

const origin = 'localhost/ledgerline';
const { privateKey } = crypto.generateKeyPairSync('ed25519');
const vkeyText = encodeVerifierKey(origin, privateKey);
const logKey = parseVerifierKey(vkeyText);
const root = crypto.createHash('sha256').update('root').digest();

describe('checkpoints', () => {
  it('format as origin, size, base64 root', () => {
    expect(formatCheckpoint({ origin, size: 20852163, rootHash: root })).toBe(`${origin}\n20852163\n${root.toString('base64')}\n`);
  });

  it('round-trip through a signed note', () => {
    const note = signCheckpoint({ origin, size: 7, rootHash: root }, privateKey);
    const checkpoint = openCheckpoint(note, logKey);
    expect(checkpoint).toEqual({ origin, size: 7, rootHash: root, extensions: [] });
  });

  it('parse extension lines but refuse them when opening, unless allowed', () => {
    const text = `${formatCheckpoint({ origin, size: 0, rootHash: root })}ext\n`;
    expect(parseCheckpoint(text).extensions).toEqual(['ext']);
    const note = signNote(text, origin, privateKey);
    expect(() => openCheckpoint(note, logKey)).toThrow(/extension/);
    expect(openCheckpoint(note, logKey, { allowExtensions: true }).size).toBe(0);
  });

  it('refuse a checkpoint whose origin is not the key name', () => {
    const note = signNote(formatCheckpoint({ origin: 'other.example/log', size: 1, rootHash: root }), origin, privateKey);
    expect(() => openCheckpoint(note, logKey)).toThrow(/origin/);
  });

  it.each([
    ['a leading zero', `${origin}\n07\n${root.toString('base64')}\n`],
    ['a negative size', `${origin}\n-1\n${root.toString('base64')}\n`],
    ['a short root', `${origin}\n7\nAAAA\n`],
    ['two lines', `${origin}\n7\n`],
    ['an empty origin', `\n7\n${root.toString('base64')}\n`],
    ['an empty extension line', `${origin}\n7\n${root.toString('base64')}\n\nx\n`],
    ['no final newline', `${origin}\n7\n${root.toString('base64')}`],
  ])('reject %s', (_label, text) => {
    expect(() => parseCheckpoint(text)).toThrow(NoteError);
  });
});

describe('tlog-proof receipts', () => {
  const tree = new InMemoryMerkleTree();
  const inputs = Array.from({ length: 11 }, (_, i) => crypto.createHash('sha256').update(`event ${i}`).digest());
  inputs.forEach((input) => tree.appendLeafInput(input));
  const note = signCheckpoint({ origin, size: 11, rootHash: tree.root() }, privateKey);

  it('format per c2sp.org/tlog-proof@v1 and parse back', () => {
    const proof = tree.inclusionProof(6);
    const text = formatTlogProof({ index: 6, proof, checkpoint: note });
    const lines = text.split('\n');
    expect(lines[0]).toBe(TLOG_PROOF_HEADER);
    expect(lines[1]).toBe('index 6');
    expect(lines.slice(2, 2 + proof.length)).toEqual(proof.map((p) => p.toString('base64')));
    expect(lines[2 + proof.length]).toBe('');
    expect(text.endsWith(note)).toBe(true);
    expect(parseTlogProof(text)).toEqual({ index: 6, proof, checkpoint: note });
    const withExtra = formatTlogProof({ index: 6, proof, checkpoint: note, extra: Buffer.from('ctx') });
    expect(withExtra.split('\n')[1]).toBe(`extra ${Buffer.from('ctx').toString('base64')}`);
    expect(parseTlogProof(withExtra).extra?.toString()).toBe('ctx');
  });

  it('verify for every entry, by hex event hash or bytes, with parsed or text vkey', () => {
    for (let i = 0; i < 11; i++) {
      const text = formatTlogProof({ index: i, proof: tree.inclusionProof(i), checkpoint: note });
      expect(verifyTlogProof(inputs[i].toString('hex'), text, vkeyText)).toMatchObject({ ok: true, index: i, checkpoint: { size: 11 } });
      expect(verifyTlogProof(inputs[i], text, logKey).ok).toBe(true);
    }
  });

  it('verify a proof with no hashes in a tree of one', () => {
    const single = new InMemoryMerkleTree();
    single.append(leafHash(inputs[0]));
    const text = formatTlogProof({ index: 0, proof: [], checkpoint: signCheckpoint({ origin, size: 1, rootHash: single.root() }, privateKey) });
    expect(text.split('\n').slice(0, 3)).toEqual([TLOG_PROOF_HEADER, 'index 0', '']);
    expect(verifyTlogProof(inputs[0], text, logKey).ok).toBe(true);
  });

  it('reject another entry, index, proof, checkpoint or key', () => {
    const text = formatTlogProof({ index: 3, proof: tree.inclusionProof(3), checkpoint: note });
    expect(verifyTlogProof(inputs[4], text, logKey)).toMatchObject({ ok: false, reason: 'inclusion' });
    expect(verifyTlogProof(inputs[3], text.replace('index 3', 'index 2'), logKey)).toMatchObject({ ok: false, reason: 'inclusion' });
    expect(verifyTlogProof(inputs[3], text.replace(/\n11\n/, '\n12\n'), logKey)).toMatchObject({ ok: false, reason: 'checkpoint' });
    const otherKey = encodeVerifierKey(origin, crypto.generateKeyPairSync('ed25519').privateKey);
    expect(verifyTlogProof(inputs[3], text, otherKey)).toMatchObject({ ok: false, reason: 'checkpoint' });
    const lines = text.split('\n');
    lines[2] = Buffer.alloc(32).toString('base64');
    expect(verifyTlogProof(inputs[3], lines.join('\n'), logKey)).toMatchObject({ ok: false, reason: 'inclusion' });
  });

  it.each([
    ['a wrong header', (t: string) => t.replace(TLOG_PROOF_HEADER, 'c2sp.org/tlog-proof@v2')],
    ['a leading zero index', (t: string) => t.replace('index 3', 'index 03')],
    ['no index', (t: string) => t.replace('index 3\n', '')],
    ['a short hash', (t: string) => t.replace(/\n([A-Za-z0-9+/]{43}=)\n/, '\nAAAA\n')],
    ['no checkpoint', (t: string) => t.slice(0, t.indexOf('\n\n') + 2)],
  ])('reject %s as malformed', (_label, mutate) => {
    const text = formatTlogProof({ index: 3, proof: tree.inclusionProof(3), checkpoint: note });
    expect(verifyTlogProof(inputs[3], mutate(text), logKey)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
