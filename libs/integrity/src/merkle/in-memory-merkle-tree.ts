import { consistencyProof } from './consistency-proof';
import { CompactMerkleTree } from './compact-merkle-tree';
import { inclusionProof } from './inclusion-proof';
import { assertTreeInteger, hashRange } from './subtree';
import { EMPTY_ROOT } from './tree-hash';

/**
 * A whole Merkle tree in memory: every complete node, 32 bytes each in one growable buffer per level
 * (≈ 64 bytes per leaf). Gives roots and proofs at any earlier size; for tests, tools and small logs.
 * A persistent notary keeps the same nodes in its store and uses the proof functions directly.
 */
export class InMemoryMerkleTree {
  private readonly levels: Buffer[] = [];
  private readonly counts: number[] = [];
  private readonly compact = new CompactMerkleTree({ onNode: (level, index, hash) => this.store(level, index, hash) });

  /** Number of leaves. */
  get size(): number {
    return this.compact.size;
  }

  /** Appends a leaf hash; returns its index. */
  append(leafHash: Uint8Array): number {
    return this.compact.append(leafHash);
  }

  /** Appends a leaf by its input; returns its index. */
  appendLeafInput(input: Uint8Array): number {
    return this.compact.appendLeafInput(input);
  }

  /** The complete node at (level, index); throws if it is not complete yet. The Buffer is a view: do not modify it. */
  node(level: number, index: number): Buffer {
    if (level >= this.levels.length || index >= this.counts[level] || index < 0) {
      throw new RangeError(`node (${level}, ${index}) is not complete in a tree of size ${this.size}`);
    }
    return this.levels[level].subarray(index * 32, index * 32 + 32);
  }

  /** The root at `size` (default: now). */
  root(size: number = this.size): Buffer {
    this.checkSize(size);
    if (size === this.size) return this.compact.root();
    return size === 0 ? EMPTY_ROOT : hashRange(0, size, this.reader);
  }

  inclusionProof(index: number, size: number = this.size): Buffer[] {
    this.checkSize(size);
    return inclusionProof(index, size, this.reader);
  }

  consistencyProof(size1: number, size2: number = this.size): Buffer[] {
    this.checkSize(size2);
    return consistencyProof(size1, size2, this.reader);
  }

  private readonly reader = (level: number, index: number): Buffer => this.node(level, index);

  private checkSize(size: number): void {
    assertTreeInteger('size', size);
    if (size > this.size) throw new RangeError(`size ${size} is beyond the tree's ${this.size} leaves`);
  }

  private store(level: number, index: number, hash: Buffer): void {
    if (level === this.levels.length) {
      this.levels.push(Buffer.alloc(32 * 64));
      this.counts.push(0);
    }
    let buffer = this.levels[level];
    if ((index + 1) * 32 > buffer.length) {
      const grown = Buffer.alloc(buffer.length * 2);
      buffer.copy(grown);
      this.levels[level] = buffer = grown;
    }
    hash.copy(buffer, index * 32);
    this.counts[level] = index + 1;
  }
}
