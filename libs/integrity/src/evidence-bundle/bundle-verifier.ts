import * as crypto from 'node:crypto';
import { b64Encode } from '../base64';
import { badSignature, openDetachedJws, verifyDetachedJws } from '../detached-jws';
import { StreamHeads } from '../envelope/stream-heads';
import { verifyEvent } from '../envelope/verify-event';
import { isHashHex } from '../hash';
import { jwksKeyMap, type Jwks, type KeyMap } from '../keys/jwks';
import { InclusionChecker } from '../merkle/inclusion-checker';
import { leafHash } from '../merkle/tree-hash';
import { openCheckpoint, type Checkpoint } from '../note/checkpoint';
import { checkWitnessQuorum, type Cosignature, type WitnessPolicy } from '../note/cosignature';
import { parseVerifierKey, type NoteVerifierKey } from '../note/verifier-key';
import { BUNDLE_FORMAT, type BundleFailureReason, type BundleReport } from './bundle.types';

export interface BundleVerifyOptions {
  /**
   * The log's checkpoint vkey, obtained out of band. When given, it alone is trusted: the header's
   * `logKey` is ignored (a different one only adds a warning) and a checkpoint it did not sign fails.
   */
  pinnedLogKey?: string | NoteVerifierKey;
  /** The event-signing JWKS obtained out of band; when given, the header's `jwks` is ignored likewise. */
  pinnedJwks?: Jwks;
  /** false = fast mode: event signatures are not checked (the trailer's still is). Default true. */
  checkSignatures?: boolean;
  /**
   * An asynchronous Ed25519 for the event signatures (WebCrypto in a browser, where a synchronous one
   * in JavaScript is ~10× slower). Checks then run while later lines are read, up to a bounded number in
   * flight; the verdict is the same as without it, first failing line included. Call `end()`, not `finish()`.
   */
  verifySignature?: AsyncEd25519Verify;
  /** Pinned witness keys and quorum (SPEC §4): the header's checkpoint needs that many valid cosignatures. */
  witnesses?: WitnessPolicy;
}

/** Resolves true when `signature` is `key`'s Ed25519 signature of `message`. */
export type AsyncEd25519Verify = (message: Uint8Array, key: crypto.KeyObject, signature: Uint8Array) => Promise<boolean>;

/** Event signature checks in flight at most; enough to keep a browser's crypto threads busy, bounded for memory. */
const MAX_SIGNATURES_IN_FLIGHT = 256;

interface SignatureInFlight {
  line: number;
  kid: string;
  valid: Promise<boolean>;
}

class Failure {
  constructor(
    readonly reason: BundleFailureReason,
    readonly detail: string,
  ) {}
}

const NEWLINE = Buffer.from('\n');
const TRAILER_PREFIX = '{"kind":"end"';

/**
 * Checks a §5 bundle line by line in constant memory (plus one entry per stream for chain links):
 * feed each line's bytes without its newline to `await line()` (the header's JWKS import is asynchronous),
 * then call `finish()`. Stops at the first failure. verifyBundle drives it from a byte stream; use it
 * directly for other sources.
 */
export class BundleVerifier {
  private readonly digest = crypto.createHash('sha256');
  private readonly heads = new StreamHeads();
  private readonly checkSignatures: boolean;
  private lineNo = 0;
  private events = 0;
  private lastLeafIndex = -1;
  private keysSelfAsserted = true;
  private warnings: string[] = [];
  private keys: KeyMap | undefined;
  private checkpoint: Checkpoint | undefined;
  private cosignatures: Cosignature[] | undefined;
  private inclusion: InclusionChecker | undefined;
  private completeStream: string | undefined;
  private trailerSeen = false;
  private pending: number | undefined;
  private failure: { line: number; reason: BundleFailureReason; detail: string } | undefined;
  private readonly inFlight: SignatureInFlight[] = [];

  constructor(private readonly options: BundleVerifyOptions = {}) {
    this.checkSignatures = options.checkSignatures !== false;
  }

  /** True once a failure was found; later lines are ignored. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Feeds the next line (its bytes, without the terminating newline). Resolves to false once the bundle has failed. */
  async line(bytes: Buffer | string): Promise<boolean> {
    if (this.failure) return false;
    this.lineNo++;
    const raw = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    try {
      if (this.trailerSeen) throw new Failure('trailing-data', 'bytes after the trailer');
      if (this.lineNo === 1) await this.header(raw);
      else if (isTrailer(raw)) {
        // The trailer vouches for every line before it: their signatures are settled first.
        if (!(await this.settleSignatures(0))) return false;
        this.body(raw);
      } else this.body(raw);
    } catch (error) {
      if (!(error instanceof Failure)) throw error;
      // An earlier line's signature still in flight may have failed: the first failing line is named.
      if (!(await this.settleSignatures(0))) return false;
      this.failure = { line: this.lineNo, reason: error.reason, detail: error.detail };
      return false;
    }
    return this.settleSignatures(MAX_SIGNATURES_IN_FLIGHT);
  }

  /** finish() once every signature check in flight has settled (needed with `verifySignature`). */
  async end(): Promise<BundleReport> {
    await this.settleSignatures(0);
    return this.finish();
  }

  /** Waits for the oldest checks until at most `atMost` are in flight; false when one failed (recorded as the failure). */
  private async settleSignatures(atMost: number): Promise<boolean> {
    while (this.inFlight.length > atMost) {
      const check = this.inFlight.shift() as SignatureInFlight;
      if (!(await check.valid)) {
        this.inFlight.length = 0;
        const failed = badSignature(check.kid) as { detail: string };
        this.failure = { line: check.line, reason: 'signature', detail: failed.detail };
        // Event lines run from line 2 without a gap, so the ones that verified are those before it.
        this.events = check.line - 2;
        return false;
      }
    }
    return this.failure === undefined;
  }

  /** Marks the line being assembled as longer than the reader accepts. */
  tooLong(limit: number): void {
    if (this.failure) return;
    this.failure = { line: this.lineNo + 1, reason: 'line', detail: `line longer than ${limit} bytes` };
  }

  /** The verdict once every line was fed. */
  finish(): BundleReport {
    if (this.inFlight.length > 0) throw new Error('signature checks are still in flight: await end() instead of finish()');
    if (!this.failure && this.lineNo === 0) this.failure = { line: 1, reason: 'empty', detail: 'the bundle is empty' };
    if (!this.failure && !this.trailerSeen) {
      this.failure = { line: this.lineNo + 1, reason: 'truncated', detail: 'no signed trailer: the bundle is truncated' };
    }
    const report: BundleReport = { ok: this.failure === undefined, count: this.events, keysSelfAsserted: this.keysSelfAsserted, warnings: this.warnings };
    if (this.checkpoint) report.checkpoint = { origin: this.checkpoint.origin, size: this.checkpoint.size, rootHash: b64Encode(this.checkpoint.rootHash) };
    if (this.pending !== undefined) report.pending = this.pending;
    if (this.cosignatures !== undefined) report.cosignatures = this.cosignatures;
    if (this.failure) report.firstFailure = this.failure;
    return report;
  }

  private async header(raw: Buffer): Promise<void> {
    const header = parseLine(raw, 'header');
    if (header.format !== BUNDLE_FORMAT) throw new Failure('header', `format is not ${BUNDLE_FORMAT}`);
    if (typeof header.generatedAt !== 'string') throw new Failure('header', 'generatedAt is missing');
    if (typeof header.query !== 'object' || header.query === null || Array.isArray(header.query)) throw new Failure('header', 'query is not an object');
    if (typeof header.checkpoint !== 'string') throw new Failure('header', 'checkpoint is missing');
    const query = header.query as Record<string, unknown>;
    if (query.stream !== undefined) {
      if (typeof query.stream !== 'string') throw new Failure('header', 'query.stream is not a string');
      this.completeStream = query.stream;
    }

    const logKey = this.logKey(header.logKey);
    this.keys = await this.jwks(header.jwks);
    this.keysSelfAsserted = !(this.options.pinnedLogKey && this.options.pinnedJwks);
    try {
      this.checkpoint = openCheckpoint(header.checkpoint, logKey);
    } catch (error) {
      throw new Failure('checkpoint', (error as Error).message);
    }
    if (this.options.witnesses !== undefined) {
      const { keys, quorum } = this.options.witnesses;
      const witnessed = checkWitnessQuorum(header.checkpoint, keys, quorum);
      if (!witnessed.ok) throw new Failure(witnessed.reason, witnessed.detail);
      this.cosignatures = witnessed.cosignatures;
    }
    this.inclusion = new InclusionChecker(this.checkpoint.size, this.checkpoint.rootHash);
    this.digest.update(raw).update(NEWLINE);
  }

  private logKey(headerKey: unknown): NoteVerifierKey {
    const pinned = this.options.pinnedLogKey;
    try {
      if (pinned !== undefined) {
        const key = typeof pinned === 'string' ? parseVerifierKey(pinned) : pinned;
        if (headerKey !== key.vkey) this.warnings.push('the header logKey differs from the pinned log key; the pinned key was used');
        return key;
      }
      if (typeof headerKey !== 'string') throw new Error('logKey is missing');
      return parseVerifierKey(headerKey);
    } catch (error) {
      throw new Failure('log-key', (error as Error).message);
    }
  }

  private async jwks(headerJwks: unknown): Promise<KeyMap> {
    try {
      if (this.options.pinnedJwks !== undefined) {
        const pinned = await jwksKeyMap(this.options.pinnedJwks);
        let header: KeyMap | undefined;
        try {
          header = await jwksKeyMap(headerJwks);
        } catch {
          header = undefined;
        }
        if (!header || header.size !== pinned.size || [...header.keys()].some((kid) => !pinned.has(kid))) {
          this.warnings.push('the header JWKS differs from the pinned JWKS; the pinned keys were used');
        }
        return pinned;
      }
      return await jwksKeyMap(headerJwks);
    } catch (error) {
      throw new Failure('jwks', (error as Error).message);
    }
  }

  private body(raw: Buffer): void {
    const line = parseLine(raw, 'line');
    if (line.kind === 'end') return this.trailer(line);
    if (line.kind !== 'event') throw new Failure('line', 'neither an event line nor the trailer');
    this.event(line);
    this.digest.update(raw).update(NEWLINE);
  }

  private event(line: Record<string, unknown>): void {
    const { leafIndex, id, stream, revision, type, metadata, inclusionProof } = line;
    if (typeof id !== 'string' || typeof stream !== 'string' || typeof type !== 'string' || !Number.isSafeInteger(revision)) {
      throw new Failure('line', 'event line lacks id, stream, revision or type');
    }
    if (!Number.isSafeInteger(leafIndex) || (leafIndex as number) < 0) throw new Failure('line', 'leafIndex is not an integer ≥ 0');
    const index = leafIndex as number;
    if (index <= this.lastLeafIndex) throw new Failure('order', `leaf index ${index} does not follow ${this.lastLeafIndex}`);
    this.lastLeafIndex = index;
    const checkpoint = this.checkpoint as Checkpoint;
    if (index >= checkpoint.size) throw new Failure('leaf-index', `leaf index ${index} is beyond the checkpoint's ${checkpoint.size} leaves`);
    if (this.completeStream !== undefined && stream !== this.completeStream) {
      throw new Failure('query', `event of stream ${stream} in a bundle for stream ${this.completeStream}`);
    }

    const deferred = this.checkSignatures && this.options.verifySignature !== undefined;
    const verified = verifyEvent({ id, stream, revision: revision as number, type, data: line.data, metadata }, this.keys as KeyMap, {
      checkSignature: this.checkSignatures && !deferred,
    });
    if (!verified.ok) throw new Failure(verified.reason, verified.detail);

    const { hash, prev, sig } = metadata as { hash: string; prev: string; sig: string };
    if (deferred) this.deferSignature(sig, hash);
    if (!Array.isArray(inclusionProof) || !inclusionProof.every((h) => typeof h === 'string')) {
      throw new Failure('line', 'inclusionProof is not an array of base64 hashes');
    }
    if (!(this.inclusion as InclusionChecker).verify(leafHash(Buffer.from(hash, 'hex')), index, inclusionProof as string[])) {
      throw new Failure('inclusion', `event ${id} is not leaf ${index} of the checkpoint's tree`);
    }
    const link = this.heads.link(stream, revision as number, prev, hash, stream === this.completeStream);
    if (link) throw new Failure(link.reason, link.detail);
    this.events++;
  }

  /** verifyEvent's signature step with the Ed25519 check itself left running (see `verifySignature`). */
  private deferSignature(sig: string, hash: string): void {
    const opened = openDetachedJws(sig, hash, this.keys as KeyMap);
    if (!opened.ok) throw new Failure(opened.reason === 'unknown-key' ? 'unknown-key' : 'signature', opened.detail);
    const verify = this.options.verifySignature as AsyncEd25519Verify;
    const valid = verify(opened.signingInput, opened.key, opened.signature).catch(() => false);
    this.inFlight.push({ line: this.lineNo, kid: opened.kid, valid });
  }

  private trailer(line: Record<string, unknown>): void {
    this.trailerSeen = true;
    const expected = this.digest.digest('hex');
    if (line.count !== this.events) throw new Failure('count', `trailer counts ${String(line.count)} events, the bundle holds ${this.events}`);
    if (!isHashHex(line.sha256) || line.sha256 !== expected) throw new Failure('sha256', 'trailer sha256 does not match the bytes before it');
    const sig = verifyDetachedJws(line.sig, expected, this.keys as KeyMap);
    if (!sig.ok) throw new Failure('trailer-signature', sig.detail);
    if (line.pending !== undefined) {
      if (!Number.isSafeInteger(line.pending) || (line.pending as number) < 0) throw new Failure('line', 'pending is not an integer ≥ 0');
      this.pending = line.pending as number;
    }
  }
}

/**
 * A cheap look for the trailer before the line is parsed: BundleWriter writes `kind` first. A trailer spelled
 * otherwise is still checked as one; its earlier signatures are then settled by end() instead of before it.
 */
function isTrailer(raw: Buffer): boolean {
  return raw.subarray(0, TRAILER_PREFIX.length).toString('latin1') === TRAILER_PREFIX;
}

function parseLine(raw: Buffer, reason: 'header' | 'line'): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new Failure(reason, 'not a JSON line');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Failure(reason, 'not a JSON object');
  return value as Record<string, unknown>;
}
