import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { leafHash, nodeHash, splitPoint } from '@ledgerline/integrity';
import type { SqlExecutor } from './merkle-tree.store';
import { sqliteExecutor } from './sqlite-executor.spec-helper';
import { StoredMerkleTree } from './stored-merkle-tree';

const VECTORS = path.resolve(__dirname, '../../../../../shared/vectors/merkle');

async function treeOf(inputs: Buffer[], batch = 3): Promise<SqlExecutor> {
  const sql = sqliteExecutor();
  await StoredMerkleTree.migrate(sql);
  for (let i = 0; i < inputs.length; i += batch) {
    await StoredMerkleTree.append(
      sql,
      inputs.slice(i, i + batch).map((leafInput, j) => ({ eventId: `e${i + j}`, position: BigInt(i + j + 1), leafInput })),
    );
  }
  return sql;
}

/** Naive RFC 9162 MTH, the reference the stored tree is compared with. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return Buffer.from('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex');
  if (leaves.length === 1) return leafHash(leaves[0]);
  const k = splitPoint(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const reference = JSON.parse(readFileSync(path.join(VECTORS, 'reference-tree.json'), 'utf8')) as {
  leafInputs: string[];
  rootsBySize: string[];
};
const referenceInputs = reference.leafInputs.map((hex) => Buffer.from(hex, 'hex'));

function happyPaths(kind: 'inclusion' | 'consistency'): Record<string, unknown>[] {
  const dir = path.join(VECTORS, kind);
  const files = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(path.join(folder, entry.name)) : [path.join(folder, entry.name)],
    );
  return files(dir)
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
    .filter((vector) => vector.desc === 'happy path' && vector.wantErr === false);
}

describe('StoredMerkleTree', () => {
  it('gives the reference roots for every size 0..8', async () => {
    const sql = await treeOf(referenceInputs);
    expect(await StoredMerkleTree.size(sql)).toBe(8);
    expect(reference.rootsBySize).toHaveLength(9);
    for (let size = 0; size <= 8; size++) {
      expect((await StoredMerkleTree.rootAt(sql, size)).toString('hex')).toBe(reference.rootsBySize[size]);
    }
  });

  it('generates exactly the inclusion proofs of the shared vectors', async () => {
    const sql = await treeOf(referenceInputs);
    const vectors = happyPaths('inclusion').filter((v) => (v.treeSize as number) <= 8 && v.leafHash !== undefined);
    expect(vectors.length).toBeGreaterThan(0);
    for (const vector of vectors) {
      const proof = await StoredMerkleTree.inclusionProof(sql, vector.leafIdx as number, vector.treeSize as number);
      expect(proof.map((hash) => hash.toString('base64'))).toEqual(vector.proof ?? []);
    }
  });

  it('generates exactly the consistency proofs of the shared vectors', async () => {
    const sql = await treeOf(referenceInputs);
    const vectors = happyPaths('consistency').filter((v) => (v.size2 as number) <= 8);
    expect(vectors.length).toBeGreaterThan(0);
    for (const vector of vectors) {
      const proof = await StoredMerkleTree.consistencyProof(sql, vector.size1 as number, vector.size2 as number);
      expect(proof.map((hash) => hash.toString('base64'))).toEqual(vector.proof ?? []);
    }
  });

  it('stores the same tree whatever the batch sizes, and finds leaves by event id', async () => {
    const inputs = Array.from({ length: 77 }, (_, i) => Buffer.from(`leaf-${i}`));
    const one = await treeOf(inputs, 1);
    const many = await treeOf(inputs, 13);
    for (const size of [1, 2, 3, 31, 32, 33, 64, 77]) {
      const expected = mth(inputs.slice(0, size)).toString('hex');
      expect((await StoredMerkleTree.rootAt(one, size)).toString('hex')).toBe(expected);
      expect((await StoredMerkleTree.rootAt(many, size)).toString('hex')).toBe(expected);
    }
    expect(await StoredMerkleTree.leafIndexOf(many, 'e42')).toBe(42);
    expect(await StoredMerkleTree.leafIndexOf(many, 'nope')).toBeUndefined();
  });

  it('refuses proofs outside the stored tree', async () => {
    const sql = await treeOf(referenceInputs);
    await expect(StoredMerkleTree.inclusionProof(sql, 8, 8)).rejects.toThrow(RangeError);
    await expect(StoredMerkleTree.rootAt(sql, 9)).rejects.toThrow(/not stored/);
    await expect(StoredMerkleTree.consistencyProof(sql, 5, 4)).rejects.toThrow(RangeError);
  });
});
