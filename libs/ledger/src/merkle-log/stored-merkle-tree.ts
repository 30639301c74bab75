import { leafHashOf, nodeHashOf } from './merkle-hash';
import { dropMerkleTables, migrateMerkleTables, nodeKey, readNodes, type SqlExecutor } from './merkle-tree.store';
import { consistencyProofRanges, inclusionProofRanges, type LeafRange } from './proof-ranges';
import { perfectSubtreesOf, type NodeCoordinate } from './subtree-ranges';

export interface MerkleLeaf {
  eventId: string;
  position: bigint;
  /** The 32 bytes of the event's envelope `hash` (SPEC §4 leaf input). */
  leafInput: Buffer;
}

const INSERT_CHUNK = 200;

/**
 * The notary's Merkle tree (RFC 9162) kept in the read database: every leaf and every perfect
 * subtree hash is stored once, so any root or proof costs one query for O(log n) nodes.
 */
export class StoredMerkleTree {
  static migrate = migrateMerkleTables;
  static drop = dropMerkleTables;

  /** Size of the stored tree. */
  static async size(sql: SqlExecutor): Promise<number> {
    const rows = await sql.query<{ n: number | string | null }>('SELECT MAX(leaf_index) AS n FROM merkle_leaves');
    const max = rows[0]?.n;
    return max === null || max === undefined ? 0 : Number(max) + 1;
  }

  static async leafIndexOf(sql: SqlExecutor, eventId: string): Promise<number | undefined> {
    const rows = await sql.query<{ leaf_index: number | string }>('SELECT leaf_index FROM merkle_leaves WHERE event_id = $1', [eventId]);
    return rows[0] === undefined ? undefined : Number(rows[0].leaf_index);
  }

  /**
   * Appends leaves after the current size. The right edge (left siblings still waiting for a
   * partner) is read from the store each call, so a rolled-back transaction leaves no stale state.
   */
  static async append(sql: SqlExecutor, leaves: MerkleLeaf[]): Promise<number> {
    let size = await StoredMerkleTree.size(sql);
    if (leaves.length === 0) return size;
    const waiting = await loadRightEdge(sql, size);
    const nodes: [number, number, string][] = [];
    const leafRows: [number, string, string][] = [];
    for (const leaf of leaves) {
      const index = size++;
      leafRows.push([index, leaf.eventId, leaf.position.toString()]);
      let hash = leafHashOf(leaf.leafInput);
      let level = 0;
      let nodeIndex = index;
      nodes.push([level, nodeIndex, hash.toString('hex')]);
      while (nodeIndex % 2 === 1) {
        const left = waiting.get(level);
        if (left === undefined) throw new Error(`merkle tree: missing left sibling at level ${level}`);
        waiting.delete(level);
        hash = nodeHashOf(left, hash);
        level += 1;
        nodeIndex = (nodeIndex - 1) / 2;
        nodes.push([level, nodeIndex, hash.toString('hex')]);
      }
      waiting.set(level, hash);
    }
    await insertRows(sql, 'merkle_leaves (leaf_index, event_id, position)', leafRows);
    await insertRows(sql, 'merkle_nodes (level, idx, hash)', nodes);
    return size;
  }

  static async rootAt(sql: SqlExecutor, treeSize: number): Promise<Buffer> {
    const [root] = await hashRanges(sql, [{ start: 0, end: treeSize }]);
    return root;
  }

  static async inclusionProof(sql: SqlExecutor, leafIndex: number, treeSize: number): Promise<Buffer[]> {
    return hashRanges(sql, inclusionProofRanges(leafIndex, treeSize));
  }

  static async consistencyProof(sql: SqlExecutor, oldSize: number, newSize: number): Promise<Buffer[]> {
    return hashRanges(sql, consistencyProofRanges(oldSize, newSize));
  }
}

const EMPTY_ROOT = Buffer.from('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex');

/** Hashes each range from its stored perfect subtrees, all fetched in one query. */
async function hashRanges(sql: SqlExecutor, ranges: LeafRange[]): Promise<Buffer[]> {
  const parts = ranges.map((range) => perfectSubtreesOf(range.start, range.end));
  const nodes = await readNodes(sql, dedupe(parts.flat()));
  return ranges.map((range, i) => {
    if (range.end === range.start) return EMPTY_ROOT;
    const hashes = parts[i].map((c) => nodes.get(nodeKey(c)) as Buffer);
    let hash = hashes[hashes.length - 1];
    for (let j = hashes.length - 2; j >= 0; j--) hash = nodeHashOf(hashes[j], hash);
    return hash;
  });
}

/** The perfect subtrees on the right edge of a tree of `size` leaves that still await a right sibling. */
async function loadRightEdge(sql: SqlExecutor, size: number): Promise<Map<number, Buffer>> {
  const coordinates: NodeCoordinate[] = [];
  for (let level = 0; 2 ** level <= size; level++) {
    const count = Math.floor(size / 2 ** level);
    if (count % 2 === 1) coordinates.push({ level, index: count - 1 });
  }
  const nodes = await readNodes(sql, coordinates);
  return new Map(coordinates.map((c) => [c.level, nodes.get(nodeKey(c)) as Buffer]));
}

function dedupe(coordinates: NodeCoordinate[]): NodeCoordinate[] {
  const seen = new Map<string, NodeCoordinate>();
  for (const c of coordinates) seen.set(nodeKey(c), c);
  return [...seen.values()];
}

async function insertRows(sql: SqlExecutor, target: string, rows: unknown[][]): Promise<void> {
  for (let offset = 0; offset < rows.length; offset += INSERT_CHUNK) {
    const chunk = rows.slice(offset, offset + INSERT_CHUNK);
    const width = chunk[0].length;
    const values = chunk.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
    await sql.query(`INSERT INTO ${target} VALUES ${values}`, chunk.flat());
  }
}
