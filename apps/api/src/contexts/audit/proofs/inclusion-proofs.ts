import { hashRange, isPowerOfTwo, splitPoint } from '@ledgerline/integrity';
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
  /** Base64 of each slot's hash, made when first asked for: a node serves every proof of its region. */
  private base64: string[] = [];
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

  /** The stored hash as base64. */
  getBase64(level: number, index: number): string | undefined {
    const slot = this.slots[level]?.get(index);
    if (slot === undefined) return undefined;
    return (this.base64[slot] ??= this.hashes.toString('base64', slot * HASH_BYTES, (slot + 1) * HASH_BYTES));
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
    this.base64 = [];
    this.count = 0;
    this.hashes = Buffer.allocUnsafe(this.hashes.length);
  }
}

/**
 * Inclusion proofs against one tree size for many leaves: `load` reads, in a few queries, every node
 * a page of leaves lacks; `proof` then assembles one leaf's RFC 9162 proof from them, so proofs need not
 * all be held at once. Proofs are base64 text, each node's made once: an export writes millions of
 * proofs, and what it allocates per proof sets how often the garbage collector runs.
 */
export class InclusionProofs {
  private readonly shared: NodeTable;
  private page = new NodeTable(1);
  private readonly sharedLevel: number;
  private readonly maxSharedNodes: number;
  /**
   * Base64 hashes of proof ranges that are not one stored node (the right edge of a tree whose size is
   * not a power of two), by "start:end": every proof on the same side of the edge repeats them, and each
   * is a fold of up to log n node hashes.
   */
  private folded = new Map<string, string>();
  /** One proof's hashes, root side first, while it is walked (reused). */
  private readonly walk: string[] = [];

  constructor(
    private readonly sql: SqlExecutor,
    readonly treeSize: number,
    options: { sharedLevel?: number; maxSharedNodes?: number } = {},
  ) {
    this.sharedLevel = options.sharedLevel ?? SHARED_LEVEL;
    this.maxSharedNodes = options.maxSharedNodes ?? DEFAULT_SHARED_NODES;
    this.shared = new NodeTable(Math.min(this.maxSharedNodes + 1, 256));
  }

  /** Nodes held between pages (the shared ones and the last page's): bounded, whatever the number of leaves proved. */
  get heldNodes(): number {
    return this.shared.size + this.page.size;
  }

  /** Reads the nodes the proofs of these leaves need; the previous page's lower nodes are dropped. */
  async load(leafIndexes: readonly number[]): Promise<void> {
    if (this.shared.size > this.maxSharedNodes) this.shared.clear();
    const wanted: [number, number][] = [];
    const seen: Set<number>[] = [];
    const want = (level: number, index: number): void => {
      if (this.shared.has(level, index)) return;
      const atLevel = (seen[level] ??= new Set());
      if (atLevel.has(index)) return;
      atLevel.add(index);
      wanted.push([level, index]);
    };
    for (const leafIndex of leafIndexes) {
      this.assertLeaf(leafIndex);
      forEachProofRange(leafIndex, this.treeSize, (start, end) => forEachRangeNode(start, end, want));
    }
    const page = new NodeTable(wanted.length);
    await nodesAt(this.sql, wanted, (level, index, hashHex) => (level >= this.sharedLevel ? this.shared : page).set(level, index, hashHex));
    for (const [level, index] of wanted) {
      if (!(level >= this.sharedLevel ? this.shared : page).has(level, index)) throw new RangeError(`merkle node (${level}, ${index}) is not stored`);
    }
    this.page = page;
  }

  /** The proof of one leaf of the last loaded page: base64 hashes, the leaf's sibling first (RFC 9162 PATH). */
  proof(leafIndex: number): string[] {
    this.assertLeaf(leafIndex);
    const walk = this.walk;
    walk.length = 0;
    forEachProofRange(leafIndex, this.treeSize, (start, end) => walk.push(this.rangeBase64(start, end)));
    const proof = new Array<string>(walk.length);
    for (let i = 0; i < walk.length; i++) proof[i] = walk[walk.length - 1 - i];
    return proof;
  }

  /** load + proof for each leaf, in the order given. */
  async proofs(leafIndexes: readonly number[]): Promise<string[][]> {
    await this.load(leafIndexes);
    return leafIndexes.map((index) => this.proof(index));
  }

  private rangeBase64(start: number, end: number): string {
    const width = end - start;
    // An aligned power-of-two range is one stored node; the others are folds of several.
    if (isPowerOfTwo(width) && start % width === 0) {
      const level = Math.log2(width);
      const hash = this.table(level).getBase64(level, start / width);
      if (hash === undefined) throw new RangeError(`merkle node (${level}, ${start / width}) is not loaded`);
      return hash;
    }
    const key = `${start}:${end}`;
    let hash = this.folded.get(key);
    if (hash === undefined) {
      if (this.folded.size >= MAX_FOLDED_RANGES) this.folded = new Map();
      hash = hashRange(start, end, (level, i) => this.node(level, i)).toString('base64');
      this.folded.set(key, hash);
    }
    return hash;
  }

  private node(level: number, index: number): Buffer {
    const hash = this.table(level).get(level, index);
    if (hash === undefined) throw new RangeError(`merkle node (${level}, ${index}) is not loaded`);
    return hash;
  }

  private table(level: number): NodeTable {
    return level >= this.sharedLevel ? this.shared : this.page;
  }

  private assertLeaf(leafIndex: number): void {
    if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= this.treeSize) {
      throw new RangeError(`leaf ${leafIndex} is not in a tree of size ${this.treeSize}`);
    }
  }
}

/**
 * The leaf ranges [start, end) of RFC 9162 PATH(index, D[0:size]), root side first (the proof lists them
 * the other way round), walked without building the list.
 */
function forEachProofRange(index: number, size: number, visit: (start: number, end: number) => void): void {
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      visit(start + k, end);
      end = start + k;
    } else {
      visit(start, start + k);
      start += k;
    }
  }
}

/** The aligned perfect subtrees whose RFC 9162 combination is the hash of [start, end) (as the integrity lib's rangeNodes). */
function forEachRangeNode(start: number, end: number, visit: (level: number, index: number) => void): void {
  while (end > start) {
    const width = end - start;
    if (isPowerOfTwo(width) && start % width === 0) {
      visit(Math.log2(width), start / width);
      return;
    }
    const k = splitPoint(width);
    if (start % k !== 0) throw new RangeError(`range [${start}, ${end}) is not made of aligned subtrees`);
    visit(Math.log2(k), start / k);
    start += k;
  }
}
