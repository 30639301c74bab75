import * as fs from 'node:fs';
import * as path from 'node:path';
import { VECTORS_DIR } from '../test-support/vectors';
import { verifyConsistency } from './consistency-proof';
import { InclusionChecker } from './inclusion-checker';
import { verifyInclusion } from './inclusion-proof';
import { InMemoryMerkleTree } from './in-memory-merkle-tree';
import { EMPTY_ROOT, leafHash, rootFromLeafHashes } from './tree-hash';

const MERKLE_DIR = path.join(VECTORS_DIR, 'merkle');
const b64 = (s: string) => Buffer.from(s, 'base64');

function jsonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? jsonFiles(full) : entry.name.endsWith('.json') ? [full] : [];
  });
}

interface InclusionVector { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] | null; wantErr: boolean }
interface ConsistencyVector { size1: number; size2: number; root1: string; root2: string; proof: string[] | null; wantErr: boolean }

const reference = JSON.parse(fs.readFileSync(path.join(MERKLE_DIR, 'reference-tree.json'), 'utf8')) as {
  leafInputs: string[];
  leafHashes: string[];
  rootsBySize: string[];
};

const inclusionFiles = jsonFiles(path.join(MERKLE_DIR, 'inclusion'));
const consistencyFiles = jsonFiles(path.join(MERKLE_DIR, 'consistency'));
const rel = (file: string) => path.relative(MERKLE_DIR, file);

describe('RFC 9162 inclusion vectors (transparency-dev/merkle)', () => {
  it('finds them all', () => {
    expect(inclusionFiles.length).toBeGreaterThan(80);
    expect(inclusionFiles.some((f) => !JSON.parse(fs.readFileSync(f, 'utf8')).wantErr)).toBe(true);
  });

  it.each(inclusionFiles.map(rel))('%s', (file) => {
    const v = JSON.parse(fs.readFileSync(path.join(MERKLE_DIR, file), 'utf8')) as InclusionVector;
    const proof = (v.proof ?? []).map(b64);
    expect(verifyInclusion(b64(v.leafHash), v.leafIdx, v.treeSize, proof, b64(v.root))).toBe(!v.wantErr);
    // The caching checker must give the same answer, with bytes and with base64 text.
    if (b64(v.root).length === 32) {
      expect(new InclusionChecker(v.treeSize, b64(v.root)).verify(b64(v.leafHash), v.leafIdx, proof)).toBe(!v.wantErr);
      expect(new InclusionChecker(v.treeSize, b64(v.root)).verify(b64(v.leafHash), v.leafIdx, v.proof ?? [])).toBe(!v.wantErr);
    }
  });
});

describe('RFC 9162 consistency vectors (transparency-dev/merkle)', () => {
  it('finds them all', () => {
    expect(consistencyFiles.length).toBeGreaterThan(80);
  });

  it.each(consistencyFiles.map(rel))('%s', (file) => {
    const v = JSON.parse(fs.readFileSync(path.join(MERKLE_DIR, file), 'utf8')) as ConsistencyVector;
    expect(verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2))).toBe(!v.wantErr);
  });
});

describe('the 8-leaf reference tree', () => {
  const hashes = reference.leafInputs.map((hex) => leafHash(Buffer.from(hex, 'hex')));
  const tree = new InMemoryMerkleTree();
  hashes.forEach((h) => tree.append(h));

  it('has the expected leaf hashes', () => {
    expect(hashes.map((h) => h.toString('hex'))).toEqual(reference.leafHashes);
  });

  it('has the expected root at every size 0..8', () => {
    for (let size = 0; size <= 8; size++) {
      expect(rootFromLeafHashes(hashes.slice(0, size)).toString('hex')).toBe(reference.rootsBySize[size]);
      expect(tree.root(size).toString('hex')).toBe(reference.rootsBySize[size]);
    }
    expect(EMPTY_ROOT.toString('hex')).toBe(reference.rootsBySize[0]);
  });

  it('generates exactly the proofs of the happy-path vectors', () => {
    for (const file of inclusionFiles.filter((f) => f.endsWith('happy-path.json'))) {
      const v = JSON.parse(fs.readFileSync(file, 'utf8')) as InclusionVector;
      if (v.treeSize > 8 || b64(v.root).toString('hex') !== reference.rootsBySize[v.treeSize]) continue;
      expect(tree.inclusionProof(v.leafIdx, v.treeSize).map((p) => p.toString('base64'))).toEqual(v.proof ?? []);
    }
    for (const file of consistencyFiles.filter((f) => f.endsWith('happy-path.json'))) {
      const v = JSON.parse(fs.readFileSync(file, 'utf8')) as ConsistencyVector;
      expect(tree.consistencyProof(v.size1, v.size2).map((p) => p.toString('base64'))).toEqual(v.proof ?? []);
    }
  });

  it('generates proofs that verify for every leaf and every pair of sizes', () => {
    for (let size = 1; size <= 8; size++) {
      const root = tree.root(size);
      for (let index = 0; index < size; index++) {
        expect(verifyInclusion(hashes[index], index, size, tree.inclusionProof(index, size), root)).toBe(true);
      }
      for (let size1 = 1; size1 <= size; size1++) {
        expect(verifyConsistency(size1, size, tree.consistencyProof(size1, size), tree.root(size1), root)).toBe(true);
      }
    }
  });
});
