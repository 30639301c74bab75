import * as crypto from 'node:crypto';
import { b64Encode } from '../base64';
import { EnvelopeError } from '../integrity.errors';
import type { HashSigner } from '../keys/keyring';
import { BUNDLE_FORMAT, type BundleHeader, type BundleEventLine, type BundleTrailer } from './bundle.types';

export type BundleHeaderInput = Omit<BundleHeader, 'format' | 'generatedAt'> & { generatedAt: string | Date };

export type BundleEventInput = Omit<BundleEventLine, 'kind' | 'inclusionProof'> & { inclusionProof: readonly (Uint8Array | string)[] };

/** An event line's input with data and metadata as JSON text (a stored event's own bytes), spliced into the line unparsed. */
export type BundleEventTextInput = Omit<BundleEventInput, 'data' | 'metadata'> & { dataJson: string; metadataJson: string };

/**
 * Writes a §5 evidence bundle one line at a time, in constant memory: each call returns the UTF-8 bytes
 * of one NDJSON line (newline included) to send as is, and feeds them to a running SHA-256 that the
 * signed trailer commits to. Order: header(), event() per matching event by increasing leaf index, end().
 */
export class BundleWriter {
  private readonly digest = crypto.createHash('sha256');
  private state: 'new' | 'events' | 'ended' = 'new';
  private events = 0;
  private lastLeafIndex = -1;

  constructor(private readonly signer: HashSigner) {}

  /** Event lines written so far. */
  get count(): number {
    return this.events;
  }

  header(input: BundleHeaderInput): Buffer {
    if (this.state !== 'new') throw new EnvelopeError('the bundle header is written once, first');
    this.state = 'events';
    const header: BundleHeader = {
      format: BUNDLE_FORMAT,
      generatedAt: typeof input.generatedAt === 'string' ? input.generatedAt : input.generatedAt.toISOString(),
      query: input.query,
      checkpoint: input.checkpoint,
      logKey: input.logKey,
      jwks: input.jwks,
    };
    return this.emit(header);
  }

  event(input: BundleEventInput): Buffer {
    // Member by member, not `{ ...rest, dataJson }`: on Node 20 a spread with more members makes a hidden class per object.
    const text: BundleEventTextInput = {
      leafIndex: input.leafIndex,
      id: input.id,
      stream: input.stream,
      revision: input.revision,
      type: input.type,
      dataJson: JSON.stringify(input.data),
      metadataJson: JSON.stringify(input.metadata),
      inclusionProof: input.inclusionProof,
    };
    return Buffer.from(this.eventText(text), 'utf8');
  }

  /**
   * event() for data and metadata given as JSON text, returned as text (the line and its newline): the
   * same line JSON.stringify would write for the parsed objects when the text is as JSON.stringify or
   * JCS writes it, without parsing it. A text that is not one line holding an object is parsed and
   * written again, so the bundle stays one event per line.
   */
  eventText(input: BundleEventTextInput): string {
    const line = lineParts(input);
    const bytes = Buffer.allocUnsafe(line.bound);
    return bytes.toString('utf8', 0, this.writeLine(line, bytes, 0));
  }

  /**
   * eventText() as UTF-8 bytes written into `target` from `offset` (and hashed there): the offset after
   * the line, or -1, with nothing written or counted, when the line might not fit in the room left
   * (eventBytesBound tells how much room is enough). No string is made for the line (nor its flattened
   * copy, nor its numbers): a 1 M-event export ran 644 young-generation collections this way, 1,128 with
   * a string per line.
   */
  eventInto(input: BundleEventTextInput, target: Buffer, offset: number): number {
    const line = lineParts(input);
    if (offset + line.bound > target.length) return -1;
    return this.writeLine(line, target, offset);
  }

  /** Room (bytes) that eventInto needs at most for this line. */
  eventBytesBound(input: BundleEventTextInput): number {
    return lineParts(input).bound;
  }

  /** The signed trailer; `pending` counts matching events not yet covered by a checkpoint. */
  end(options: { pending?: number } = {}): Buffer {
    if (this.state !== 'events') throw new EnvelopeError('the trailer follows the header, once');
    this.state = 'ended';
    const sha256 = this.digest.digest('hex');
    const trailer: BundleTrailer =
      options.pending === undefined
        ? { kind: 'end', count: this.events, sha256, sig: this.signer.sign(sha256) }
        : { kind: 'end', count: this.events, pending: options.pending, sha256, sig: this.signer.sign(sha256) };
    return Buffer.from(`${JSON.stringify(trailer)}\n`, 'utf8');
  }

  private writeLine(line: LineParts, target: Buffer, start: number): number {
    this.nextEvent(line.leafIndex);
    let at = start;
    for (const [prefix, member] of LINE_MEMBERS) {
      at += target.write(prefix, at, 'latin1');
      const value = line[member];
      at = typeof value === 'number' ? writeNumber(target, at, value) : at + target.write(value, at, 'utf8');
    }
    at += target.write(',"inclusionProof":[', at, 'latin1');
    line.proof.forEach((hash, i) => {
      if (i > 0) target[at++] = COMMA;
      if (typeof hash !== 'string') {
        target[at++] = QUOTE;
        at += target.write(b64Encode(hash), at, 'latin1');
        target[at++] = QUOTE;
      } else if (isPlainAscii(hash)) {
        target[at++] = QUOTE;
        at += target.write(hash, at, 'latin1');
        target[at++] = QUOTE;
      } else {
        at += target.write(JSON.stringify(hash), at, 'utf8');
      }
    });
    at += target.write(']}\n', at, 'latin1');
    this.digest.update(target.subarray(start, at));
    return at;
  }

  private nextEvent(leafIndex: number): void {
    if (this.state !== 'events') throw new EnvelopeError('event lines go between the header and the trailer');
    if (!Number.isSafeInteger(leafIndex) || leafIndex <= this.lastLeafIndex) {
      throw new EnvelopeError(`leaf index ${leafIndex} does not follow ${this.lastLeafIndex}`);
    }
    this.lastLeafIndex = leafIndex;
    this.events++;
  }

  private emit(line: object): Buffer {
    const bytes = Buffer.from(`${JSON.stringify(line)}\n`, 'utf8');
    this.digest.update(bytes);
    return bytes;
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
/** Bytes of a line besides its variable members: the member names and punctuation, and two numbers. */
const LINE_FIXED_BYTES = 160;

/** An event line's members before its proof, in order, each with the text that goes before its value. */
const LINE_MEMBERS = [
  ['{"kind":"event","leafIndex":', 'leafIndex'],
  [',"id":', 'id'],
  [',"stream":', 'stream'],
  [',"revision":', 'revision'],
  [',"type":', 'type'],
  [',"data":', 'data'],
  [',"metadata":', 'metadata'],
] as const;

/** An event line's members as the JSON text that goes into it, and the most bytes the line can take. */
interface LineParts {
  leafIndex: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  proof: readonly (Uint8Array | string)[];
  bound: number;
}

function lineParts(input: BundleEventTextInput): LineParts {
  const id = JSON.stringify(input.id);
  const stream = JSON.stringify(input.stream);
  const type = JSON.stringify(input.type);
  const data = oneLineObject(input.dataJson);
  const metadata = oneLineObject(input.metadataJson);
  // UTF-8 takes at most 3 bytes for each UTF-16 code unit; a string of the proof at most 6 (a \u escape) when JSON escapes it.
  let bound = LINE_FIXED_BYTES + 3 * (id.length + stream.length + type.length + data.length + metadata.length);
  for (const hash of input.inclusionProof) bound += typeof hash === 'string' ? 6 * hash.length + 3 : 4 * Math.ceil(hash.length / 3) + 3;
  return { leafIndex: input.leafIndex, id, stream, revision: input.revision, type, data, metadata, proof: input.inclusionProof, bound };
}

/**
 * Writes `n` as JSON does, the digits of a non-negative safe integer one by one: String(n) would go
 * through V8's number-to-string cache, which holds on to the strings it made until other numbers take
 * their places, so a string per event outlived young-generation collections and was promoted.
 */
function writeNumber(target: Buffer, at: number, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) return at + target.write(String(n), at, 'latin1');
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  for (let i = at + digits - 1, rest = n; i >= at; i--, rest = Math.floor(rest / 10)) target[i] = 0x30 + (rest % 10);
  return at + digits;
}

/** Printable ASCII that JSON writes as it is: no quote, backslash or control character (base64 always is). */
const PLAIN_JSON_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** True when `text` goes into JSON as it is, between quotes (a regular expression: ≈ 8× faster here than a loop over its characters). */
function isPlainAscii(text: string): boolean {
  return PLAIN_JSON_TEXT.test(text);
}

/** `json` as it is when it is one line holding an object, else parsed and written again (it throws when not JSON). */
function oneLineObject(json: string): string {
  if (json.startsWith('{') && json.endsWith('}') && !json.includes('\n') && !json.includes('\r')) return json;
  return JSON.stringify(JSON.parse(json));
}
