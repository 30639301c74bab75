import { hashRange, inclusionProofPlan, inclusionProofRanges, isPowerOfTwo } from '@ledgerline/integrity';
import type { SqlExecutor } from '@ledgerline/projections';
import { nodesAt } from './merkle-log.reader';

/**
 * Nodes at or above this level (subtrees of ≥ 1024 leaves) are kept between pages: every proof in a
 * region of the tree shares them. Lower nodes mostly serve one page and are dropped with it.
 */
const SHARED_LEVEL = 10;
/** Bound on the shared nodes kept (a reset beyond it). */
const DEFAULT_SHARED_NODES = 10_000;
/** Bound on the folded range hashes kept (a reset beyond it): a tree has O(log² n) distinct ones. */
const MAX_FOLDED_RANGES = 4_096;
const HASH_BYTES = 32;

/**
 * Node hashes of one tree, compactly: one buffer of 32-byte hashes and, per level, node index → slot.
 * A page's thousands of nodes are then a few objects instead of a key string and a Buffer each — what
 * lives as long as a page is what the garbage collector promotes to the old generation, so it is kept small.
 */
class NodeTable {
  private slots: Map<number, number>[] = [];
  private hashes: Buffer;
  private count = 0;

  constructor(capacity: number) {
    this.hashes = Buffer.allocUnsafe(Math.max(1, capacity) * HASH_BYTES);
  }

  get size(): number {
    return this.count;
  }

  has(level: number, index: number): boolean {
    return this.slots[level]?.has(index) ?? false;
  }

  /** A view of the stored hash (valid until clear). */
  get(level: number, index: number): Buffer | undefined {
    const slot = this.slots[level]?.get(index);
    return slot === undefined ? undefined : this.hashes.subarray(slot * HASH_BYTES, (slot + 1) * HASH_BYTES);
  }

  set(level: number, index: number, hashHex: string): void {
    if (this.has(level, index)) return;
    if ((this.count + 1) * HASH_BYTES > this.hashes.length) {
      const grown = Buffer.allocUnsafe(this.hashes.length * 2);
      this.hashes.copy(grown, 0, 0, this.count * HASH_BYTES);
      this.hashes = grown;
    }
    if (this.hashes.write(hashHex, this.count * HASH_BYTES, HASH_BYTES, 'hex') !== HASH_BYTES) {
      throw new RangeError(`merkle node (${level}, ${index}) has a malformed stored hash`);
    }
    (this.slots[level] ??= new Map()).set(index, this.count++);
  }

  /** Forgets every node; views handed out before stay valid (a fresh buffer is used from here on). */
  clear(): void {
    this.slots = [];
    this.count = 0;
    this.hashes = Buffer.allocUnsafe(this.hashes.length);
  }
}

/**
 * Inclusion proofs against one tree size for many leaves: `load` reads, in a few queries, every node
 * a page of leaves lacks; `proof` then assembles one leaf's proof from them (the integrity lib's
 * RFC 9162 proof, computed from those nodes), so proofs need not all be held at once.
 */
export class InclusionProofs {
  private readonly shared: NodeTable;
  private page = new NodeTable(1);
  private readonly sharedLevel: number;
  private readonly maxSharedNodes: number;
  /**
   * Hashes of proof ranges that are not one stored node (the right edge of a tree whose size is not a
   * power of two), by "start:end": every proof on the same side of the edge repeats them, and each is a
   * fold of up to log n node hashes.
   */
  private folded = new Map<string, Buffer>();

  constructor(
    private readonly sql: SqlExecutor,
    readonly treeSize: number,
    options: { sharedLevel?: number; maxSharedNodes?: number } = {},
  ) {
    this.sharedLevel = options.sharedLevel ?? SHARED_LEVEL;
    this.maxSharedNodes = options.maxSharedNodes ?? DEFAULT_SHARED_NODES;
    this.shared = new NodeTable(Math.min(this.maxSharedNodes + 1, 256));
  }

  /** Reads the nodes the proofs of these leaves need; the previous page's lower nodes are dropped. */
  async load(leafIndexes: readonly number[]): Promise<void> {
    if (this.shared.size > this.maxSharedNodes) this.shared.clear();
    const wanted: [number, number][] = [];
    const seen: Set<number>[] = [];
    for (const index of leafIndexes) {
      for (const node of inclusionProofPlan(index, this.treeSize).nodes) {
        if (this.shared.has(node.level, node.index)) continue;
        const level = (seen[node.level] ??= new Set());
        if (level.has(node.index)) continue;
        level.add(node.index);
        wanted.push([node.level, node.index]);
      }
    }
    const page = new NodeTable(wanted.length);
    await nodesAt(this.sql, wanted, (level, index, hashHex) => (level >= this.sharedLevel ? this.shared : page).set(level, index, hashHex));
    for (const [level, index] of wanted) {
      if (!(level >= this.sharedLevel ? this.shared : page).has(level, index)) throw new RangeError(`merkle node (${level}, ${index}) is not stored`);
    }
    this.page = page;
  }

  /** The proof of one leaf of the last loaded page. */
  proof(leafIndex: number): Buffer[] {
    return inclusionProofRanges(leafIndex, this.treeSize).map(([start, end]) => {
      const width = end - start;
      // An aligned power-of-two range is one stored node; the others are folds of several.
      if (isPowerOfTwo(width) && start % width === 0) return this.node(Math.log2(width), start / width);
      const key = `${start}:${end}`;
      let hash = this.folded.get(key);
      if (hash === undefined) {
        if (this.folded.size >= MAX_FOLDED_RANGES) this.folded = new Map();
        hash = hashRange(start, end, (level, i) => this.node(level, i));
        this.folded.set(key, hash);
      }
      return hash;
    });
  }

  private node(level: number, index: number): Buffer {
    const hash = (level >= this.sharedLevel ? this.shared : this.page).get(level, index);
    if (hash === undefined) throw new RangeError(`merkle node (${level}, ${index}) is not loaded`);
    return hash;
  }

  /** load + proof for each leaf, in the order given. */
  async proofs(leafIndexes: readonly number[]): Promise<Buffer[][]> {
    await this.load(leafIndexes);
    return leafIndexes.map((index) => this.proof(index));
  }
}
