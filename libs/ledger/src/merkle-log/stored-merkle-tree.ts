import {
  CompactMerkleTree,
  consistencyProofAsync,
  EMPTY_ROOT,
  foldRange,
  inclusionProofAsync,
  rangeNodes,
  type NodeId,
} from '@ledgerline/integrity';
import { dropMerkleTables, insertRows, migrateMerkleTables, readHexColumn, readNodes, type SqlExecutor } from './merkle-tree.store';

export interface MerkleLeaf {
  eventId: string;
  position: bigint;
  /** The 32 bytes of the event's envelope `hash` (SPEC §4 leaf input). */
  leafInput: Buffer;
}

/**
 * The notary's Merkle tree (RFC 9162) kept in the read database: every leaf and every perfect
 * subtree hash is stored once, so any root or proof costs one query for O(log n) nodes.
 */
export class StoredMerkleTree {
  static readonly migrate = migrateMerkleTables;
  static readonly drop = dropMerkleTables;

  /** Number of leaves stored. */
  static async size(sql: SqlExecutor): Promise<number> {
    const rows = await sql.query<{ n: number | bigint | null }>('SELECT MAX(leaf_index) AS n FROM merkle_leaves');
    const max = rows[0]?.n;
    return max === null || max === undefined ? 0 : Number(max) + 1;
  }

  static async leafIndexOf(sql: SqlExecutor, eventId: string): Promise<number | undefined> {
    const rows = await sql.query<{ leaf_index: number | bigint }>('SELECT leaf_index FROM merkle_leaves WHERE event_id = $1', [eventId]);
    return rows[0] === undefined ? undefined : Number(rows[0].leaf_index);
  }

  /**
   * Appends leaves after the current size. The right edge is read from the store on every call, so
   * a rolled-back transaction can leave no stale in-memory state behind.
   */
  static async append(sql: SqlExecutor, leaves: readonly MerkleLeaf[]): Promise<number> {
    const size = await StoredMerkleTree.size(sql);
    if (leaves.length === 0) return size;
    const nodes: [number, number, string][] = [];
    const tree = new CompactMerkleTree({
      state: { size, hashes: await readNodes(sql, rightEdge(size)) },
      onNode: (level, index, hash) => nodes.push([level, index, hash.toString('hex')]),
    });
    const leafRows = leaves.map((leaf) => [tree.appendLeafInput(leaf.leafInput), leaf.eventId, leaf.position.toString(), leaf.leafInput.toString('hex')]);
    await insertRows(sql, 'merkle_leaves (leaf_index, event_id, position, leaf_input)', leafRows);
    await insertRows(sql, 'merkle_nodes (level, idx, hash)', nodes);
    return tree.size;
  }

  /**
   * The stored hashes of `count` consecutive nodes at `level` from index `start` (level 0: leaf
   * hashes), in order: what a tlog-tiles hash tile lists. Fewer when the tree is not that large.
   */
  static nodesAtLevel(sql: SqlExecutor, level: number, start: number, count: number): Promise<Buffer[]> {
    // One range scan of the (level, idx) primary key: bounded by the count, whatever the tree's size.
    const query = 'SELECT hash AS hex FROM merkle_nodes WHERE level = $1 AND idx >= $2 AND idx < $3 ORDER BY idx';
    return readHexColumn(sql, query, [level, start, start + count]);
  }

  /** The leaf inputs of `count` consecutive leaves from `start`, in order; fewer when the tree is not that large. */
  static leafInputs(sql: SqlExecutor, start: number, count: number): Promise<Buffer[]> {
    const query = 'SELECT leaf_input AS hex FROM merkle_leaves WHERE leaf_index >= $1 AND leaf_index < $2 ORDER BY leaf_index';
    return readHexColumn(sql, query, [start, start + count]);
  }

  static async rootAt(sql: SqlExecutor, treeSize: number): Promise<Buffer> {
    if (treeSize === 0) return EMPTY_ROOT;
    return foldRange(await readNodes(sql, rangeNodes(0, treeSize)));
  }

  static async inclusionProof(sql: SqlExecutor, leafIndex: number, treeSize: number): Promise<Buffer[]> {
    return inclusionProofAsync(leafIndex, treeSize, (nodes) => readNodes(sql, nodes));
  }

  static async consistencyProof(sql: SqlExecutor, oldSize: number, newSize: number): Promise<Buffer[]> {
    return consistencyProofAsync(oldSize, newSize, (nodes) => readNodes(sql, nodes));
  }
}

/** The perfect subtrees on the right edge of a tree of `size` leaves, largest first. */
function rightEdge(size: number): NodeId[] {
  return size === 0 ? [] : rangeNodes(0, size);
}
