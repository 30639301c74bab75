import { leafHashInto, verifyDetachedJws, type EventMetadata, type KeyMap, type NoteVerifierKey, type StoredEvent } from '@ledgerline/integrity';
import { checkCheckpointEvent, checkCosignedEvent } from './checkpoint-event';
import { allocateChunk, type ChunkResult } from './chunk-result';
import { checkEvent, passesFastPath, type EventCheck } from './event-check';
import { SignatureBatch } from './signature-batch';
import { storedEnvelopeLinks, type EnvelopeLinks } from './stored-envelope';
import { CHECKPOINT_STREAM, COSIGNATURE_STREAM } from './spec-constants';
import type { StoreFailure } from './store-failure';

/**
 * One stored event as read: `[position, id, stream, revision, type, data, metadata, positionText?]`.
 * From SQLite, data and metadata are the stored JSON text; from a store adapter, parsed objects.
 */
export type LogRow = [position: number | bigint, id: unknown, stream: unknown, revision: unknown, type: unknown, data: unknown, metadata: unknown, positionText?: string];

export interface ChunkVerifierOptions {
  /** This worker's number (stream ids are numbered per worker). Default 0. */
  worker?: number;
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
  /**
   * Every stream this worker has seen, numbered in the order it saw them. The main thread takes a
   * worker's chunks in the order the worker made them, so it learns each number before its first use
   * and links chains by array index instead of looking every event's stream name up.
   */
  private readonly streamIds = new Map<string, number>();

  private readonly signatures: SignatureBatch;

  constructor(private readonly options: ChunkVerifierOptions) {
    this.signatures = new SignatureBatch(options.keys);
  }

  verify(seq: number, rows: readonly LogRow[]): ChunkResult {
    const signed: SignedTexts | undefined = this.options.checkSignatures ? { sigs: [], hashes: [] } : undefined;
    const chunk = this.checkAllButSignatures(seq, rows, signed);
    if (signed) this.checkSignatures(chunk, rows, signed);
    return chunk;
  }

  /**
   * The Ed25519 verifies of the events that passed every other check, back to back. Only the signature
   * is left, so the first one that fails is the chunk's first failure, with verifyEvent's reason for it.
   */
  private checkSignatures(chunk: ChunkResult, rows: readonly LogRow[], signed: SignedTexts): void {
    const bad = this.signatures.firstFailure(signed.sigs, signed.hashes, chunk.count);
    if (bad === undefined) return;
    chunk.count = bad.index;
    failAt(chunk, rows[bad.index], bad.kind, bad.reason);
  }

  private checkAllButSignatures(seq: number, rows: readonly LogRow[], signed: SignedTexts | undefined): ChunkResult {
    const { keys, logKey, rowsAreText } = this.options;
    const chunk = allocateChunk(seq, this.options.worker ?? 0, rows.length);
    chunk.firstNewStream = this.streamIds.size;
    const hashes = Buffer.from(chunk.hashes.buffer, chunk.hashes.byteOffset, chunk.hashes.byteLength);
    const prevs = Buffer.from(chunk.prevs.buffer, chunk.prevs.byteOffset, chunk.prevs.byteLength);
    const leaves = Buffer.from(chunk.leafHashes.buffer, chunk.leafHashes.byteOffset, chunk.leafHashes.byteLength);

    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      // Indexes, not destructuring: this runs a million times.
      const position = row[0];
      const id = row[1];
      const stream = row[2];
      const revision = row[3];
      const type = row[4];
      if (typeof id !== 'string' || typeof stream !== 'string' || typeof type !== 'string' || !Number.isSafeInteger(revision)) {
        return failAt(chunk, row, 'row', 'the row lacks a text id, stream or type, or an integer revision');
      }
      const dataText = row[5];
      const metadataText = row[6];
      const event: StoredEvent = { id, stream, revision: revision as number, type, data: dataText, metadata: metadataText };
      const checked = rowsAreText ? checkTextRow(event, keys) : checkEvent(event, keys, false);
      if (!checked.ok) return failAt(chunk, row, checked.reason, checked.detail);
      const links = checked.metadata;
      signed?.sigs.push(links.sig);
      signed?.hashes.push(links.hash);

      const off = i * 32;
      hashes.write(links.hash, off, 'hex');
      prevs.write(links.prev, off, 'hex');
      if (stream === CHECKPOINT_STREAM || stream === COSIGNATURE_STREAM) {
        // A checkpoint's data is read (its note): parsed here when its stored text was hashed as it is.
        const witnessed = stream === COSIGNATURE_STREAM;
        const data = event.data ?? JSON.parse(dataText as string);
        const claim = witnessed ? checkCosignedEvent(type, data, logKey) : checkCheckpointEvent(type, data, logKey);
        if (!claim.ok) {
          // The event's own signature comes first, as for any event (and full mode checks it).
          const bad = signed && signatureFailure(links.sig, links.hash, keys);
          return bad ? failAt(chunk, row, bad.kind, bad.reason) : failAt(chunk, row, claim.kind, claim.reason);
        }
        chunk.checkpoints.push(witnessed ? { index: i, treeSize: claim.treeSize, rootHash: claim.rootHash, witnessed } : { index: i, treeSize: claim.treeSize, rootHash: claim.rootHash });
        chunk.isLeaf[i] = 0;
      } else {
        leafHashInto(hashes, off, leaves, off);
        chunk.isLeaf[i] = 1;
      }
      let streamId = this.streamIds.get(stream);
      if (streamId === undefined) {
        streamId = this.streamIds.size;
        this.streamIds.set(stream, streamId);
        chunk.newStreams.push(stream);
      }
      chunk.streamIndex[i] = streamId;
      chunk.revisions[i] = revision as number;
      chunk.positions[i] = Number(position);
      if (row[7] !== undefined) (chunk.positionTexts ??= [])[i] = row[7];
      chunk.count = i + 1;
    }
    return chunk;
  }
}

/** Full mode: each checked event's sig and hash, for the back-to-back Ed25519 verifies. */
interface SignedTexts {
  sigs: string[];
  hashes: string[];
}

type RowCheck = { ok: true; metadata: EnvelopeLinks } | Exclude<EventCheck, { ok: true }> | { ok: false; reason: 'row' | 'json'; detail: string };

const NOT_JSON: RowCheck = { ok: false, reason: 'json', detail: 'data or metadata is not JSON' };

/**
 * checkEvent for a row whose data and metadata are stored JSON text: the stored layout read without
 * parsing (storedEnvelopeLinks) when it is that, else parsed and checked as verifyEvent does, with data
 * stored as its JCS text hashed as it is. Leaves `event.data` undefined unless the data had to be parsed.
 */
function checkTextRow(event: StoredEvent, keys: KeyMap): RowCheck {
  const dataText = event.data;
  const metadataText = event.metadata;
  if (typeof dataText !== 'string' || typeof metadataText !== 'string') return { ok: false, reason: 'row', detail: 'data or metadata is not stored as text' };
  const links = storedEnvelopeLinks(event.id, event.stream, event.revision, event.type, dataText, metadataText);
  event.data = undefined;
  if (links) return { ok: true, metadata: links };
  try {
    event.metadata = JSON.parse(metadataText);
  } catch {
    return NOT_JSON;
  }
  if (passesFastPath(event, keys, false, dataText)) return { ok: true, metadata: event.metadata as EventMetadata };
  try {
    event.data = JSON.parse(dataText);
  } catch {
    return NOT_JSON;
  }
  return checkEvent(event, keys, false);
}

/** Why an event's sig does not verify, with verifyEvent's reason for it (`unknown-key` or `signature`), or undefined. */
function signatureFailure(sig: string, hash: string, keys: KeyMap): { kind: string; reason: string } | undefined {
  const jws = verifyDetachedJws(sig, hash, keys);
  return jws.ok ? undefined : { kind: jws.reason === 'unknown-key' ? 'unknown-key' : 'signature', reason: jws.detail };
}

/** Marks the chunk failed at `row`, naming the row's location as far as it is readable. */
function failAt(chunk: ChunkResult, row: LogRow, kind: string, reason: string): ChunkResult {
  const [position, , stream, revision] = row;
  const exact = row[7] ?? (typeof position === 'bigint' ? (Number.isSafeInteger(Number(position)) ? Number(position) : position.toString()) : position);
  const failure: StoreFailure = { kind, reason, position: exact };
  if (typeof stream === 'string') failure.stream = stream;
  if (typeof revision === 'number') failure.revision = revision;
  chunk.failure = failure;
  return chunk;
}
