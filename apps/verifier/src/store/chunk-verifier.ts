import { leafHash, type KeyMap, type NoteVerifierKey } from '@ledgerline/integrity';
import { checkCheckpointEvent } from './checkpoint-event';
import { allocateChunk, type ChunkResult } from './chunk-result';
import { checkEvent } from './event-check';
import { CHECKPOINT_STREAM } from './spec-constants';
import type { StoreFailure } from './store-failure';

/**
 * One stored event as read: `[position, id, stream, revision, type, data, metadata, positionText?]`.
 * From SQLite, data and metadata are the stored JSON text; from a store adapter, parsed objects.
 */
export type LogRow = [position: number | bigint, id: unknown, stream: unknown, revision: unknown, type: unknown, data: unknown, metadata: unknown, positionText?: string];

export interface ChunkVerifierOptions {
  keys: KeyMap;
  logKey: NoteVerifierKey;
  /** false = fast mode: no Ed25519 verify of event signatures (checkpoint notes are still verified). */
  checkSignatures: boolean;
  /** true when data and metadata arrive as JSON text that must be parsed (SQLite rows). */
  rowsAreText: boolean;
}

/**
 * Verifies a slice of the global log event by event (everything that needs no other event: the
 * envelope per §3 and each checkpoint event's note) and packs what the chain and tree checks need.
 * Stops at the first failing event. Runs inside the worker threads.
 */
export class ChunkVerifier {
  constructor(private readonly options: ChunkVerifierOptions) {}

  verify(seq: number, rows: readonly LogRow[]): ChunkResult {
    const { keys, logKey, checkSignatures, rowsAreText } = this.options;
    const chunk = allocateChunk(seq, rows.length);
    const hashes = Buffer.from(chunk.hashes.buffer, chunk.hashes.byteOffset, chunk.hashes.byteLength);
    const prevs = Buffer.from(chunk.prevs.buffer, chunk.prevs.byteOffset, chunk.prevs.byteLength);
    const leaves = Buffer.from(chunk.leafHashes.buffer, chunk.leafHashes.byteOffset, chunk.leafHashes.byteLength);
    const streamSlots = new Map<string, number>();

    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const [position, id, stream, revision, type] = row;
      const where = (): Omit<StoreFailure, 'kind' | 'reason'> => ({
        stream: typeof stream === 'string' ? stream : undefined,
        revision: typeof revision === 'number' ? revision : undefined,
        position: row[7] ?? (typeof position === 'bigint' ? (Number.isSafeInteger(Number(position)) ? Number(position) : position.toString()) : position),
      });
      const fail = (kind: string, reason: string): ChunkResult => {
        chunk.failure = { kind, reason, ...where() };
        return chunk;
      };
      if (typeof id !== 'string' || typeof stream !== 'string' || typeof type !== 'string' || !Number.isSafeInteger(revision)) {
        return fail('row', 'the row lacks a text id, stream or type, or an integer revision');
      }
      let data = row[5];
      let metadata = row[6];
      if (rowsAreText) {
        if (typeof data !== 'string' || typeof metadata !== 'string') return fail('row', 'data or metadata is not stored as text');
        try {
          data = JSON.parse(data);
          metadata = JSON.parse(metadata as string);
        } catch {
          return fail('json', 'data or metadata is not JSON');
        }
      }
      const checked = checkEvent({ id, stream, revision: revision as number, type, data, metadata }, keys, checkSignatures);
      if (!checked.ok) return fail(checked.reason, checked.detail);

      const off = i * 32;
      hashes.write(checked.metadata.hash, off, 'hex');
      prevs.write(checked.metadata.prev, off, 'hex');
      if (stream === CHECKPOINT_STREAM) {
        const claim = checkCheckpointEvent(type, data, logKey);
        if (!claim.ok) return fail(claim.kind, claim.reason);
        chunk.checkpoints.push({ index: i, treeSize: claim.treeSize, rootHash: claim.rootHash });
      } else {
        leafHash(chunk.hashes.subarray(off, off + 32)).copy(leaves, off);
        chunk.isLeaf[i] = 1;
      }
      let slot = streamSlots.get(stream);
      if (slot === undefined) {
        slot = chunk.streams.length;
        streamSlots.set(stream, slot);
        chunk.streams.push(stream);
      }
      chunk.streamIndex[i] = slot;
      chunk.revisions[i] = revision as number;
      chunk.positions[i] = Number(position);
      if (row[7] !== undefined) (chunk.positionTexts ??= [])[i] = row[7];
      chunk.count = i + 1;
    }
    return chunk;
  }
}
