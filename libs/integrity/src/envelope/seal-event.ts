import { canonicalize } from '../canonical-json';
import { isHashHex, sha256Hex } from '../hash';
import { EnvelopeError } from '../integrity.errors';
import type { HashSigner } from '../keys/keyring';
import { ZERO_HASH, type EventMetadata, type SealInput } from './envelope.types';
import { actorProblem, ENVELOPE_MEMBERS, isEnvelopeTime, isJsonObject, isLowercaseUuid } from './envelope-rules';

const RESERVED = new Set<string>(ENVELOPE_MEMBERS);

/**
 * Builds the §3 envelope for one event: dataHash = H(JCS(data)), prev, hash = H(JCS(metadata without
 * hash and sig)), sig = detached JWS over hash. Costs one canonicalization of data, one of the
 * metadata and one Ed25519 signature. Throws EnvelopeError on input that could not verify later.
 */
export function sealEvent(input: SealInput, signer: HashSigner): EventMetadata {
  return sealEventWithData(input, signer).metadata;
}

/** What sealEventWithData returns: the envelope, and JCS(data), the exact text its `dataHash` covers. */
export interface SealedEvent {
  metadata: EventMetadata;
  /** JCS(data): stored as the event's data, the verifier can hash it as it is instead of re-canonicalizing it. */
  dataJcs: string;
}

/** sealEvent, also handing back the canonical data text it hashed (the sealed write path stores it). */
export function sealEventWithData(input: SealInput, signer: HashSigner): SealedEvent {
  const unsigned = unsignedEnvelope(input);
  return { metadata: withSignature(unsigned, signer.sign(unsigned.hash)), dataJcs: unsigned.dataJcs };
}

/** The envelope before its signature (see unsignedEnvelope). */
export interface UnsignedEnvelope {
  /** The envelope's `hash`: what its signature covers and what the next event's `prev` names. */
  hash: string;
  /** Every envelope member but `sig`. */
  members: Record<string, unknown>;
  /** JCS(data), the text `dataHash` covers. */
  dataJcs: string;
}

/** Completes an unsigned envelope with its detached JWS, as its last member (the order stored envelopes keep). */
export function withSignature(unsigned: UnsignedEnvelope, sig: string): EventMetadata {
  unsigned.members.sig = sig;
  return unsigned.members as EventMetadata;
}

/**
 * The §3 envelope with every member but `sig`: its `hash` is final, so the next event of a chain can
 * link to it before this one is signed (the sealed write path signs off the event loop). Complete it
 * with withSignature and the detached JWS over its `hash` before storing it.
 */
export function unsignedEnvelope(input: SealInput): UnsignedEnvelope {
  const time = typeof input.time === 'string' ? input.time : input.time.toISOString();
  const prev = input.prevHash ?? ZERO_HASH;
  checkInput(input, time, prev);

  const body: Record<string, unknown> = {
    v: 1,
    id: input.id,
    stream: input.stream,
    revision: input.revision,
    type: input.type,
    time,
    actor: input.actor,
    $correlationId: input.correlationId,
    $causationId: input.causationId,
  };
  if (input.extra) {
    for (const [name, value] of Object.entries(input.extra)) {
      if (RESERVED.has(name)) throw new EnvelopeError(`extra member "${name}" would overwrite an envelope member`);
      body[name] = value;
    }
  }
  const dataJcs = canonicalize(input.data);
  body.dataHash = sha256Hex(dataJcs);
  body.prev = prev;
  const hash = sha256Hex(canonicalize(body));
  body.hash = hash;
  return { hash, members: body, dataJcs };
}

function checkInput(input: SealInput, time: string, prev: string): void {
  if (!isLowercaseUuid(input.id)) throw new EnvelopeError(`event id must be a lowercase UUID, got ${JSON.stringify(input.id)}`);
  if (typeof input.stream !== 'string' || input.stream.length === 0) throw new EnvelopeError('stream must be a non-empty string');
  if (!Number.isSafeInteger(input.revision) || input.revision < 0) throw new EnvelopeError('revision must be an integer ≥ 0');
  if (typeof input.type !== 'string' || input.type.length === 0) throw new EnvelopeError('type must be a non-empty string');
  if (!isEnvelopeTime(time)) throw new EnvelopeError(`time must be YYYY-MM-DDTHH:mm:ss.sssZ, got ${JSON.stringify(time)}`);
  const actor = actorProblem(input.actor);
  if (actor) throw new EnvelopeError(actor);
  if (typeof input.correlationId !== 'string' || typeof input.causationId !== 'string') {
    throw new EnvelopeError('correlationId and causationId must be strings');
  }
  if (!isJsonObject(input.data)) throw new EnvelopeError('data must be a JSON object');
  if (!isHashHex(prev)) throw new EnvelopeError('prevHash must be 64 lowercase hex characters');
  if (input.revision === 0 && prev !== ZERO_HASH) throw new EnvelopeError('revision 0 must have prevHash = ZERO_HASH');
  if (input.revision > 0 && prev === ZERO_HASH) throw new EnvelopeError(`revision ${input.revision} needs the previous event's hash`);
}
