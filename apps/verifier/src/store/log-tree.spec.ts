import { InMemoryMerkleTree, leafHash } from '@ledgerline/integrity';
import { LogTree } from './log-tree';

const leaf = (i: number): Buffer => leafHash(Buffer.alloc(32, i));

describe('LogTree', () => {
  it('keeps the roots at the wanted sizes, equal to the reference tree\'s', () => {
    const reference = new InMemoryMerkleTree();
    const tree = new LogTree([3, 7, 7, 1, 0]);
    const hits: number[] = [];
    for (let i = 0; i < 10; i++) {
      reference.append(leaf(i));
      if (tree.append(leaf(i), 0, 100 + i)) hits.push(tree.size);
    }
    expect(hits).toEqual([1, 3, 7]);
    for (const size of [0, 1, 3, 7, 10]) expect(tree.rootAt(size)?.toString('hex')).toBe(reference.root(size).toString('hex'));
    expect(tree.rootAt(5)).toBeUndefined();
  });

  it('takes a size wanted later, and describes leaf ranges by position', () => {
    const tree = new LogTree([2]);
    for (let i = 0; i < 3; i++) tree.append(leaf(i), 0, 10 + i);
    tree.want(6);
    tree.want(2);
    let hit = false;
    for (let i = 3; i < 6; i++) hit = tree.append(leaf(i), 0, 10 + i);
    expect(hit).toBe(true);
    expect(tree.rootAt(6)).toBeDefined();
    expect(tree.describeRange(2, 6)).toBe('leaves 2..5 (positions 12..15)');
    expect(tree.describeRange(0, 2)).toBe('leaves 0..1 (positions 10..11)');
  });
});
