import type { StoreFailure } from './store-failure';

/** A checkpoint event a worker verified (note signature, and note = data), for the main thread to compare with the tree. */
export interface CheckpointClaim {
  /** Index of the event in its chunk. */
  index: number;
  treeSize: number;
  /** b64 root hash, as in the note. */
  rootHash: string;
  /** A witnessed note (CheckpointCosigned): its root is checked, but it is not one of the log's checkpoints. */
  witnessed?: true;
}

/**
 * What a worker returns for one contiguous slice of the global log: for each event that verified, in
 * order, the few facts the main thread needs to check chains and rebuild the tree. Fixed-size fields
 * live in one transferable buffer, so handing a chunk over copies nothing.
 */
export interface ChunkResult {
  seq: number;
  /** Events that verified, all of them unless `failure` is set (then it is the index of the failing one). */
  count: number;
  positions: Float64Array;
  revisions: Float64Array;
  /** The worker that verified the chunk: stream ids are numbered per worker. */
  worker: number;
  /** The worker's id of each event's stream. */
  streamIndex: Uint32Array;
  /** Streams the worker had not seen before this chunk, with ids `firstNewStream`, `firstNewStream + 1`, … */
  newStreams: string[];
  firstNewStream: number;
  /** 32-byte `hash`, `prev` and (for leaves) RFC 9162 leaf hash of each event. */
  hashes: Uint8Array;
  prevs: Uint8Array;
  leafHashes: Uint8Array;
  /** 1 when the event is a Merkle leaf (SPEC §4), 0 for a checkpoint event (signed or witnessed). */
  isLeaf: Uint8Array;
  checkpoints: CheckpointClaim[];
  /** Exact positions as text, present only when one does not fit a double. */
  positionTexts?: string[];
  failure?: StoreFailure;
}

/** Allocates the views of a chunk of up to `capacity` events on one ArrayBuffer (returned for transfer). */
export function allocateChunk(seq: number, worker: number, capacity: number): ChunkResult {
  const n = Math.max(capacity, 1);
  // Doubles first so every view is aligned.
  const buffer = new ArrayBuffer(n * (8 + 8 + 4 + 32 * 3 + 1));
  let offset = 0;
  const take = <T>(make: (b: ArrayBuffer, o: number, l: number) => T, bytes: number, length: number): T => {
    const view = make(buffer, offset, length);
    offset += bytes * length;
    return view;
  };
  return {
    seq,
    worker,
    count: 0,
    positions: take((b, o, l) => new Float64Array(b, o, l), 8, n),
    revisions: take((b, o, l) => new Float64Array(b, o, l), 8, n),
    streamIndex: take((b, o, l) => new Uint32Array(b, o, l), 4, n),
    hashes: take((b, o, l) => new Uint8Array(b, o, l), 1, n * 32),
    prevs: take((b, o, l) => new Uint8Array(b, o, l), 1, n * 32),
    leafHashes: take((b, o, l) => new Uint8Array(b, o, l), 1, n * 32),
    isLeaf: take((b, o, l) => new Uint8Array(b, o, l), 1, n),
    newStreams: [],
    firstNewStream: 0,
    checkpoints: [],
  };
}

/** The one buffer behind a chunk's views, for postMessage's transfer list. */
export function chunkBuffer(chunk: ChunkResult): ArrayBuffer {
  return chunk.positions.buffer as ArrayBuffer;
}
