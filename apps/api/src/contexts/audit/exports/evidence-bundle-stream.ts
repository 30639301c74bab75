import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EventStore, StoredEventText } from '@ledgerline/event-store';
import { BundleWriter, isNotaryStream, type BundleEventTextInput, type Keyring } from '@ledgerline/integrity';
import { filterMembers } from '../audit-index/audit-filter';
import type { AuditIndexReader, AuditIndexRow } from '../audit-index/audit-index.reader';
import { readIndexedEventTexts } from '../events/stored-event';
import type { InclusionProofs } from '../proofs/inclusion-proofs';
import type { ExportOutcome, PreparedExport } from './evidence-export.types';

/** Index rows per page, and leaves whose proof nodes are read together. */
const PAGE = 100;
/** Events read from the store at a time within a page. */
const READ_BATCH = 50;
/**
 * Bytes of event lines gathered before a chunk is pushed, as one string: fewer, larger writes, and the
 * string (at most two bytes a character) stays below V8's 128 KiB large-object size, so it is made in
 * the young generation and dies there.
 */
export const CHUNK_BYTES = 32 * 1024;

/** What a bundle stream reads from; the exporter's own dependencies. */
export interface BundleSources {
  store: EventStore;
  index: AuditIndexReader;
  keyring: Keyring;
  logKey: string;
  proofs: InclusionProofs;
}

/**
 * One SPEC §5 bundle as a byte stream (UTF-8 text) that makes a chunk only when its reader asks for one
 * (highWaterMark 0: nothing is read ahead). What it holds between chunks is bounded whatever the
 * bundle's size: one page of index rows, one batch of event texts, the proof node tables (bounded by
 * InclusionProofs), the running SHA-256 — nothing per event of the export. Behind a response, the
 * socket's backpressure reaches the store: the pipe stops reading at a full socket, and no chunk is
 * made until it drains.
 *
 * No async generator and no Readable.from: pulled through Readable.from and a second generator's
 * `yield*`, most chunks outlived two young-generation collections and were promoted (≈ 80 % of them in
 * a sampling heap profile of a 100 k export), garbage that only a full collection frees.
 */
export class EvidenceBundleStream extends Readable {
  private readonly writer: BundleWriter;
  private readonly order: WholeStream | undefined;
  private phase: 'header' | 'events' | 'trailer' | 'ended' = 'header';
  /** The current index page; `at` is the next row to write. */
  private rows: AuditIndexRow[] = [];
  private at = 0;
  /** Events of rows[batchAt…], read ahead of their lines. */
  private texts: StoredEventText[] = [];
  private batchAt = 0;
  /** Continue the index after this position; null once the index has no more. */
  private after: bigint | undefined | null = undefined;
  private producing = false;
  /** Where event lines are written; each chunk is copied out of it as a string. */
  private readonly chunk = Buffer.allocUnsafe(CHUNK_BYTES);

  constructor(
    private readonly sources: BundleSources,
    private readonly prepared: PreparedExport,
    private readonly beforeTrailer: (outcome: ExportOutcome) => Promise<void>,
  ) {
    super({ encoding: 'utf8', highWaterMark: 0 });
    this.writer = new BundleWriter(sources.keyring);
    this.order = prepared.filter.stream !== undefined ? new WholeStream(prepared.filter.stream) : undefined;
  }

  override _read(): void {
    if (this.producing) return;
    this.producing = true;
    this.nextChunk().then(
      (chunk) => {
        this.producing = false;
        if (this.destroyed) return;
        this.push(chunk, 'utf8');
        if (this.phase === 'ended') this.push(null);
      },
      (error: unknown) => {
        this.producing = false;
        this.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  /**
   * The next chunk of text: the header, then event lines written into one reused buffer until the next
   * might not fit, and at the end the trailer. No string is made per line (see BundleWriter.eventInto).
   */
  private async nextChunk(): Promise<string> {
    if (this.phase === 'header') {
      this.phase = 'events';
      return this.header();
    }
    let used = 0;
    while (this.phase === 'events') {
      if (this.at === this.rows.length && !(await this.nextPage())) {
        this.phase = 'trailer';
        break;
      }
      if (this.destroyed) return '';
      if (this.at === this.batchAt + this.texts.length) await this.readBatch();
      const line = this.eventInput();
      const end = this.writer.eventInto(line, this.chunk, used);
      if (end < 0) {
        if (used > 0) break;
        // A line larger than a whole chunk goes out alone.
        const alone = Buffer.allocUnsafe(this.writer.eventBytesBound(line));
        const length = this.writer.eventInto(line, alone, 0);
        this.at++;
        return alone.toString('utf8', 0, length);
      }
      used = end;
      this.at++;
    }
    const text = this.chunk.toString('utf8', 0, used);
    if (this.phase !== 'trailer') return text;
    const { filter, lastCovered } = this.prepared;
    const pending = await this.sources.index.count(filter, { from: lastCovered + 1n }, true);
    // If recording the access fails, the bundle ends without its signed trailer: invalid by construction.
    await this.beforeTrailer({ count: this.writer.count, pending });
    this.phase = 'ended';
    return text + this.writer.end({ pending }).toString('utf8');
  }

  private header(): string {
    const { prepared, sources } = this;
    return this.writer
      .header({
        generatedAt: prepared.generatedAt,
        query: filterMembers(prepared.filter),
        checkpoint: prepared.checkpoint.note,
        logKey: sources.logKey,
        jwks: sources.keyring.jwks(),
      })
      .toString('utf8');
  }

  /**
   * Reads the next non-empty page of matching leaves (in position order, which is leaf order) and the
   * proof nodes it needs; false when the index has no more. Exports bound no page scan (SCAN_BUDGET):
   * they go through the whole range anyway, rate-limited.
   */
  private async nextPage(): Promise<boolean> {
    const { filter, lastCovered, checkpoint } = this.prepared;
    for (;;) {
      if (this.after === null) return false;
      // A turn of the event loop per page: other requests are served even when the client reads as fast as this writes.
      await nextTurn();
      const page = await this.sources.index.page(filter, { after: this.after, atMost: lastCovered, limit: PAGE, scanBudget: Infinity });
      this.after = page.next;
      // Checkpoint events are left out here rather than in SQL, where the extra condition would cost
      // every page a bounded scan for events only a few filters can match.
      const rows = page.rows.filter((row) => !isNotaryStream(row.stream));
      if (rows.length === 0) continue;
      for (const row of rows) {
        if (row.leafIndex === null || row.leafIndex >= checkpoint.treeSize) {
          throw new Error(`event ${row.eventId} at position ${row.position} is not a leaf of the checkpoint it precedes`);
        }
        this.order?.next(row.revision);
      }
      await this.sources.proofs.load(rows.map((row) => row.leafIndex as number));
      this.rows = rows;
      this.at = 0;
      this.texts = [];
      this.batchAt = 0;
      return true;
    }
  }

  /** Reads the events of the next rows of the page, as their stored text (which goes into the lines unparsed). */
  private async readBatch(): Promise<void> {
    this.batchAt = this.at;
    this.texts = await readIndexedEventTexts(this.sources.store, this.rows.slice(this.at, this.at + READ_BATCH));
  }

  private eventInput(): BundleEventTextInput {
    const event = this.texts[this.at - this.batchAt];
    const leafIndex = this.rows[this.at].leafIndex as number;
    return {
      leafIndex,
      id: event.id,
      stream: event.stream,
      revision: event.revision,
      type: event.type,
      dataJson: event.dataJson,
      metadataJson: event.metadataJson,
      inclusionProof: this.sources.proofs.proof(leafIndex),
    };
  }
}

/** A stream export must hold revisions 0, 1, 2… with no gap; one that cannot is stopped, not sent short. */
class WholeStream {
  private expected = 0;

  constructor(private readonly stream: string) {}

  next(revision: number): void {
    if (revision !== this.expected) {
      throw new Error(`stream ${this.stream}: the audit index holds revision ${revision} where ${this.expected} was expected`);
    }
    this.expected++;
  }
}
