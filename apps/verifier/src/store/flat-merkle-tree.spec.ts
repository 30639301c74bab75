import { randomBytes } from 'node:crypto';
import { EMPTY_ROOT, rootFromLeafHashes } from '@ledgerline/integrity';
import { FlatMerkleTree } from './flat-merkle-tree';

describe('FlatMerkleTree', () => {
  it('has the RFC 9162 root of the leaves appended so far, at every size up to 300', () => {
    const leaves = randomBytes(300 * 32);
    const tree = new FlatMerkleTree();
    expect(tree.root()).toEqual(EMPTY_ROOT);
    const list: Buffer[] = [];
    for (let i = 0; i < 300; i++) {
      tree.append(leaves, i * 32);
      list.push(leaves.subarray(i * 32, i * 32 + 32));
      expect(tree.size).toBe(i + 1);
      expect(tree.root().toString('hex')).toBe(rootFromLeafHashes(list).toString('hex'));
    }
  });

  it('reads each leaf from its own offset, leaving the source as it was', () => {
    const source = randomBytes(64 + 5);
    const before = Buffer.from(source);
    const tree = new FlatMerkleTree();
    tree.append(source, 5);
    tree.append(source, 37);
    expect(source).toEqual(before);
    expect(tree.root()).toEqual(rootFromLeafHashes([source.subarray(5, 37), source.subarray(37, 69)]));
  });
});
