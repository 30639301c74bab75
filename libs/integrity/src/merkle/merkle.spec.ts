import * as crypto from 'node:crypto';
import fc from 'fast-check';
import { CompactMerkleTree } from './compact-merkle-tree';
import { consistencyProof, consistencyProofAsync, consistencyProofPlan, verifyConsistency } from './consistency-proof';
import { InclusionChecker } from './inclusion-checker';
import { inclusionProof, inclusionProofAsync, inclusionProofPlan, verifyInclusion } from './inclusion-proof';
import { InMemoryMerkleTree } from './in-memory-merkle-tree';
import { rangeNodes } from './subtree';
import { EMPTY_ROOT, leafHash, nodeHash, rootFromLeafHashes } from './tree-hash';

/** The RFC 9162 §2.1.1 definition, recursively and slowly: the oracle for everything else. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const leaves = Array.from({ length: 70 }, (_, i) => leafHash(crypto.createHash('sha256').update(`leaf ${i}`).digest()));
const tree = new InMemoryMerkleTree();
leaves.forEach((h) => tree.append(h));

describe('Merkle tree hashing', () => {
  it('computes H(0x00||x) and H(0x01||l||r), also for inputs that are not 32 bytes', () => {
    const sha = (...parts: Buffer[]) => crypto.createHash('sha256').update(Buffer.concat(parts)).digest();
    expect(leafHash(Buffer.from('ab')).equals(sha(Buffer.from([0]), Buffer.from('ab')))).toBe(true);
    expect(nodeHash(Buffer.from('l'), Buffer.from('r')).equals(sha(Buffer.from([1]), Buffer.from('lr')))).toBe(true);
    expect(nodeHash(leaves[0], leaves[1]).equals(sha(Buffer.from([1]), leaves[0], leaves[1]))).toBe(true);
  });

  it('agrees with the recursive definition at every size, incrementally and from scratch', () => {
    const compact = new CompactMerkleTree();
    for (let size = 0; size <= leaves.length; size++) {
      const expected = mth(leaves.slice(0, size));
      expect(rootFromLeafHashes(leaves.slice(0, size)).equals(expected)).toBe(true);
      expect(compact.root().equals(expected)).toBe(true);
      expect(tree.root(size).equals(expected)).toBe(true);
      if (size < leaves.length) compact.append(leaves[size]);
    }
  });

  it('appends leaf hashes read at any offset of a larger buffer, leaving it as it was', () => {
    const packed = Buffer.concat([Buffer.alloc(5, 0xee), ...leaves]);
    const before = Buffer.from(packed);
    const compact = new CompactMerkleTree();
    for (let i = 0; i < leaves.length; i++) {
      expect(compact.appendFrom(packed, 5 + i * 32)).toBe(i);
      expect(compact.root().equals(mth(leaves.slice(0, i + 1)))).toBe(true);
    }
    expect(packed.equals(before)).toBe(true);
    expect(() => compact.appendFrom(packed, packed.length - 31)).toThrow(/32 bytes/);
    expect(() => compact.appendFrom(packed, -1)).toThrow(/32 bytes/);
    expect(() => compact.append(Buffer.alloc(31))).toThrow(/32 bytes/);
    expect(compact.size).toBe(leaves.length);
  });

  it('resumes a compact tree from its saved state', () => {
    const a = new CompactMerkleTree();
    leaves.slice(0, 37).forEach((h) => a.append(h));
    const b = new CompactMerkleTree({ state: a.state() });
    leaves.slice(37).forEach((h) => b.append(h));
    expect(b.size).toBe(70);
    expect(b.root().equals(mth(leaves))).toBe(true);
    expect(() => new CompactMerkleTree({ state: { size: 3, hashes: [leaves[0]] } })).toThrow(/right-edge/);
  });

  it('reports every completed node to onNode, matching the stored tree', () => {
    const seen = new Map<string, Buffer>();
    const compact = new CompactMerkleTree({ onNode: (level, index, hash) => seen.set(`${level}/${index}`, hash) });
    leaves.slice(0, 13).forEach((h) => compact.append(h));
    expect(seen.size).toBe(13 + 6 + 3 + 1); // 13 leaves, 6 pairs, 3 quads, 1 octet
    expect(seen.get('3/0')?.equals(mth(leaves.slice(0, 8)))).toBe(true);
    expect(seen.get('1/5')?.equals(mth(leaves.slice(10, 12)))).toBe(true);
  });

  it('decomposes right-edge ranges into aligned subtrees', () => {
    expect(rangeNodes(8, 15)).toEqual([
      { level: 2, index: 2 },
      { level: 1, index: 6 },
      { level: 0, index: 14 },
    ]);
    expect(() => rangeNodes(3, 7)).toThrow(/aligned/);
  });
});

describe('inclusion proofs', () => {
  it('verify for every leaf of every size up to 70, and fail for a neighbour leaf or another root', () => {
    for (let size = 1; size <= leaves.length; size++) {
      const root = mth(leaves.slice(0, size));
      for (let index = 0; index < size; index++) {
        const proof = tree.inclusionProof(index, size);
        expect(verifyInclusion(leaves[index], index, size, proof, root)).toBe(true);
        if (size > 1) expect(verifyInclusion(leaves[(index + 1) % size], index, size, proof, root)).toBe(false);
        // (A claimed size of size + 1 can verify too: RFC 9162 binds the size through the root only.)
        expect(verifyInclusion(leaves[index], index, size, proof, tree.root(size === 1 ? 2 : size - 1))).toBe(false);
      }
    }
  });

  it('only read complete nodes, at most 2·log2(size) of them', () => {
    for (const size of [1, 2, 3, 5, 8, 13, 64, 70]) {
      for (let index = 0; index < size; index++) {
        const plan = inclusionProofPlan(index, size);
        expect(plan.nodes.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(size)));
        for (const node of plan.nodes) expect((node.index + 1) * 2 ** node.level).toBeLessThanOrEqual(size);
      }
    }
  });

  it('can be built with one batched async read', async () => {
    const reads: number[] = [];
    const proof = await inclusionProofAsync(41, 67, async (nodes) => {
      reads.push(nodes.length);
      return nodes.map((n) => tree.node(n.level, n.index));
    });
    expect(reads).toHaveLength(1);
    expect(proof).toEqual(inclusionProof(41, 67, (l, i) => tree.node(l, i)));
  });

  it('reject a bad index, a truncated or extended proof and a flipped bit', () => {
    const root = tree.root();
    const proof = tree.inclusionProof(5);
    expect(verifyInclusion(leaves[5], 70, 70, proof, root)).toBe(false);
    expect(verifyInclusion(leaves[5], -1, 70, proof, root)).toBe(false);
    expect(verifyInclusion(leaves[5], 5, 70, proof.slice(1), root)).toBe(false);
    expect(verifyInclusion(leaves[5], 5, 70, [...proof, leaves[0]], root)).toBe(false);
    const flipped = proof.map((p) => Buffer.from(p));
    flipped[2][0] ^= 0x80;
    expect(verifyInclusion(leaves[5], 5, 70, flipped, root)).toBe(false);
    expect(() => tree.inclusionProof(70)).toThrow(RangeError);
  });

  it('InclusionChecker answers exactly as verifyInclusion for valid and corrupted proofs in any order', () => {
    const size = 70;
    const root = tree.root(size);
    const checker = new InclusionChecker(size, root);
    fc.assert(
      fc.property(fc.nat(size - 1), fc.nat(size - 1), fc.integer({ min: -1, max: 8 }), fc.boolean(), (index, claimed, corrupt, asText) => {
        const proof: Buffer[] = tree.inclusionProof(index, size).map((p) => Buffer.from(p));
        if (corrupt >= 0 && corrupt < proof.length) proof[corrupt][corrupt] ^= 1;
        const given = asText ? proof.map((p) => p.toString('base64')) : proof;
        expect(checker.verify(leaves[claimed], index, given)).toBe(verifyInclusion(leaves[claimed], index, size, proof, root));
      }),
      { numRuns: 2000 },
    );
  });

  it('InclusionChecker checks every leaf of a tree in sequence', () => {
    const checker = new InclusionChecker(70, tree.root());
    for (let i = 0; i < 70; i++) {
      expect(checker.verify(leaves[i], i, tree.inclusionProof(i).map((p) => p.toString('base64')))).toBe(true);
      expect(checker.verify(leaves[i], i, tree.inclusionProof(i).slice(0, -1))).toBe(false);
    }
    expect(checker.verify(leaves[0], 0, ['not base64'])).toBe(false);
  });
});

describe('consistency proofs', () => {
  it('verify between every pair of sizes up to 70 and fail for wrong roots or sizes', () => {
    for (let size2 = 1; size2 <= leaves.length; size2++) {
      const root2 = tree.root(size2);
      for (let size1 = 1; size1 <= size2; size1++) {
        const root1 = tree.root(size1);
        const proof = tree.consistencyProof(size1, size2);
        expect(verifyConsistency(size1, size2, proof, root1, root2)).toBe(true);
        if (size1 < size2) {
          expect(verifyConsistency(size1, size2, proof, root2, root1)).toBe(false);
          if (size1 > 1) expect(verifyConsistency(size1, size2, proof, tree.root(size1 - 1), root2)).toBe(false);
        }
        if (size2 < leaves.length) expect(verifyConsistency(size1, size2 + 1, proof, root1, tree.root(size2 + 1))).toBe(false);
      }
    }
  });

  it('only read complete nodes and can be built with one async read', async () => {
    for (const [m, n] of [[1, 70], [13, 64], [32, 33], [63, 70]]) {
      for (const node of consistencyProofPlan(m, n).nodes) expect((node.index + 1) * 2 ** node.level).toBeLessThanOrEqual(n);
    }
    const proof = await consistencyProofAsync(13, 66, (nodes) => nodes.map((n) => tree.node(n.level, n.index)));
    expect(proof).toEqual(consistencyProof(13, 66, (l, i) => tree.node(l, i)));
  });

  it('refuse to build a proof from size 0 or backwards', () => {
    expect(() => tree.consistencyProof(0, 5)).toThrow(RangeError);
    expect(() => tree.consistencyProof(6, 5)).toThrow(RangeError);
    expect(tree.consistencyProof(5, 5)).toEqual([]);
  });
});
