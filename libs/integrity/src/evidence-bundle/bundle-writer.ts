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
    this.nextEvent(input.leafIndex);
    const proof = input.inclusionProof.map((h) => (typeof h === 'string' ? JSON.stringify(h) : `"${b64Encode(h)}"`)).join(',');
    const line =
      `{"kind":"event","leafIndex":${input.leafIndex},"id":${JSON.stringify(input.id)},"stream":${JSON.stringify(input.stream)},` +
      `"revision":${input.revision},"type":${JSON.stringify(input.type)},"data":${oneLineObject(input.dataJson)},` +
      `"metadata":${oneLineObject(input.metadataJson)},"inclusionProof":[${proof}]}\n`;
    this.digest.update(line, 'utf8');
    return line;
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

/** `json` as it is when it is one line holding an object, else parsed and written again (it throws when not JSON). */
function oneLineObject(json: string): string {
  if (json.startsWith('{') && json.endsWith('}') && !json.includes('\n') && !json.includes('\r')) return json;
  return JSON.stringify(JSON.parse(json));
}
