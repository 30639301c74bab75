import { inclusionProof, inclusionProofPlan } from '@ledgerline/integrity';
import type { SqlExecutor } from '@ledgerline/projections';
import { nodeKey as key, nodesAt } from './merkle-log.reader';

/**
 * Nodes at or above this level (subtrees of ≥ 1024 leaves) are kept between pages: every proof in a
 * region of the tree shares them. Lower nodes mostly serve one page and are dropped with it, so they
 * die young in the garbage collector instead of piling up in a long-lived cache.
 */
const SHARED_LEVEL = 10;
/** Bound on the shared nodes kept (a reset beyond it). */
const DEFAULT_SHARED_NODES = 10_000;

/**
 * Inclusion proofs against one tree size for many leaves: `load` reads, in a few queries, every node
 * a page of leaves lacks; `proof` then assembles one leaf's proof from them (the integrity lib's
 * RFC 9162 proof, computed from those nodes), so proofs need not all be held at once.
 */
export class InclusionProofs {
  private readonly shared = new Map<string, Buffer>();
  private page = new Map<string, Buffer>();
  private readonly sharedLevel: number;
  private readonly maxSharedNodes: number;

  constructor(
    private readonly sql: SqlExecutor,
    readonly treeSize: number,
    options: { sharedLevel?: number; maxSharedNodes?: number } = {},
  ) {
    this.sharedLevel = options.sharedLevel ?? SHARED_LEVEL;
    this.maxSharedNodes = options.maxSharedNodes ?? DEFAULT_SHARED_NODES;
  }

  /** Reads the nodes the proofs of these leaves need; the previous page's lower nodes are dropped. */
  async load(leafIndexes: readonly number[]): Promise<void> {
    if (this.shared.size > this.maxSharedNodes) this.shared.clear();
    this.page = new Map();
    const wanted = new Map<string, [number, number]>();
    for (const index of leafIndexes) {
      for (const node of inclusionProofPlan(index, this.treeSize).nodes) {
        const k = key(node.level, node.index);
        if (!this.shared.has(k)) wanted.set(k, [node.level, node.index]);
      }
    }
    const found = await nodesAt(this.sql, [...wanted.values()]);
    for (const [k, [level, index]] of wanted) {
      const hash = found.get(k);
      if (hash === undefined) throw new RangeError(`merkle node (${level}, ${index}) is not stored`);
      (level >= this.sharedLevel ? this.shared : this.page).set(k, hash);
    }
  }

  /** The proof of one leaf of the last loaded page. */
  proof(leafIndex: number): Buffer[] {
    return inclusionProof(leafIndex, this.treeSize, (level, i) => {
      const hash = (level >= this.sharedLevel ? this.shared : this.page).get(key(level, i));
      if (hash === undefined) throw new RangeError(`merkle node (${level}, ${i}) is not loaded`);
      return hash;
    });
  }

  /** load + proof for each leaf, in the order given. */
  async proofs(leafIndexes: readonly number[]): Promise<Buffer[][]> {
    await this.load(leafIndexes);
    return leafIndexes.map((index) => this.proof(index));
  }
}
