import { inclusionProof, inclusionProofPlan } from '@ledgerline/integrity';
import type { SqlExecutor } from '@ledgerline/projections';
import { nodesOfLevel } from './merkle-log.reader';

/** Node hashes kept between batches: the upper levels most proofs share. Bounded (plus one batch's nodes), so exports stay flat in memory. */
const DEFAULT_CACHE_NODES = 50_000;

/**
 * Inclusion proofs against one tree size for many leaves: each batch reads only the nodes it lacks,
 * level by level in a few queries, and keeps them for the next batch (neighbouring leaves share most
 * of their proofs). The proofs themselves are the integrity lib's (RFC 9162), computed from those nodes.
 */
export class InclusionProofs {
  private readonly cache = new Map<string, Buffer>();

  constructor(
    private readonly sql: SqlExecutor,
    readonly treeSize: number,
    private readonly maxCachedNodes = DEFAULT_CACHE_NODES,
  ) {}

  /** One proof per leaf index, in the order given. */
  async proofs(leafIndexes: readonly number[]): Promise<Buffer[][]> {
    await this.load(leafIndexes);
    return leafIndexes.map((index) =>
      inclusionProof(index, this.treeSize, (level, i) => {
        const hash = this.cache.get(key(level, i));
        if (hash === undefined) throw new RangeError(`merkle node (${level}, ${i}) is not stored`);
        return hash;
      }),
    );
  }

  private async load(leafIndexes: readonly number[]): Promise<void> {
    // Whole-cache reset rather than LRU bookkeeping: cheap, and this batch reloads only what it uses.
    // (Before deciding what is missing, so nothing this batch counts on is dropped.)
    if (this.cache.size > this.maxCachedNodes) this.cache.clear();
    const wanted = new Map<number, Set<number>>();
    for (const index of leafIndexes) {
      for (const node of inclusionProofPlan(index, this.treeSize).nodes) {
        if (this.cache.has(key(node.level, node.index))) continue;
        let level = wanted.get(node.level);
        if (level === undefined) wanted.set(node.level, (level = new Set()));
        level.add(node.index);
      }
    }
    for (const [level, indexes] of wanted) {
      const found = await nodesOfLevel(this.sql, level, [...indexes]);
      for (const index of indexes) {
        const hash = found.get(index);
        if (hash === undefined) throw new RangeError(`merkle node (${level}, ${index}) is not stored`);
        this.cache.set(key(level, index), hash);
      }
    }
  }
}

function key(level: number, index: number): string {
  return `${level}:${index}`;
}
