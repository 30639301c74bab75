import { canonicalize, canonicalizeWithout } from '../canonical-json';
import { verifyDetachedJws } from '../detached-jws';
import { isHashHex, sha256Hex } from '../hash';
import type { KeyMap } from '../keys/jwks';
import { ZERO_HASH, type EventFailureReason, type EventVerification, type StoredEvent } from './envelope.types';
import { actorProblem, isEnvelopeTime, isJsonObject, isLowercaseUuid } from './envelope-rules';

export interface VerifyEventOptions {
  /** false = fast mode: everything but the Ed25519 signature (its form is still checked). Default true. */
  checkSignature?: boolean;
}

const HASHED_WITHOUT = ['hash', 'sig'];

/**
 * Checks one stored event against §3: envelope form, agreement with the store's id, stream, revision
 * and type, dataHash, hash and (unless fast mode) sig with a key from `keys`. Never throws on bad input;
 * the first failure is returned with a reason and a human detail.
 */
export function verifyEvent(event: StoredEvent, keys: KeyMap, options: VerifyEventOptions = {}): EventVerification {
  const m = event.metadata;
  if (!isJsonObject(m) || m.v !== 1) return fail('unsealed', 'metadata carries no v:1 envelope');
  const shape = envelopeProblem(m);
  if (shape) return fail('envelope', shape);
  if (m.id !== event.id) return fail('id-mismatch', `metadata.id ${m.id} ≠ stored id ${event.id}`);
  if (m.stream !== event.stream) return fail('stream-mismatch', `metadata.stream ${JSON.stringify(m.stream)} ≠ stored stream ${JSON.stringify(event.stream)}`);
  if (m.revision !== event.revision) return fail('revision-mismatch', `metadata.revision ${m.revision} ≠ stored revision ${event.revision}`);
  if (m.type !== event.type) return fail('type-mismatch', `metadata.type ${JSON.stringify(m.type)} ≠ stored type ${JSON.stringify(event.type)}`);
  if (m.revision === 0 && m.prev !== ZERO_HASH) return fail('prev', 'revision 0 must have prev = 64 zeros');

  let dataHash: string;
  try {
    if (!isJsonObject(event.data)) return fail('data-hash', 'data is not a JSON object');
    dataHash = sha256Hex(canonicalize(event.data));
  } catch (error) {
    return fail('data-hash', `data cannot be canonicalized: ${(error as Error).message}`);
  }
  if (dataHash !== m.dataHash) {
    if (!isHashHex(m.dataHash)) return fail('envelope', 'dataHash must be 64 lowercase hex characters');
    return fail('data-hash', `H(JCS(data)) = ${dataHash} ≠ dataHash ${m.dataHash}`);
  }

  let hash: string;
  try {
    hash = sha256Hex(canonicalizeWithout(m, HASHED_WITHOUT));
  } catch (error) {
    return fail('envelope', `metadata cannot be canonicalized: ${(error as Error).message}`);
  }
  if (hash !== m.hash) {
    if (!isHashHex(m.hash)) return fail('envelope', 'hash must be 64 lowercase hex characters');
    return fail('hash', `H(JCS(metadata)) = ${hash} ≠ hash ${m.hash}`);
  }

  if (options.checkSignature === false) return typeof m.sig === 'string' && m.sig.includes('..') ? OK : fail('signature', 'sig is not a detached JWS');
  const sig = verifyDetachedJws(m.sig, hash, keys);
  if (sig.ok) return OK;
  return fail(sig.reason === 'unknown-key' ? 'unknown-key' : 'signature', sig.detail);
}

const OK: EventVerification = Object.freeze({ ok: true }) as EventVerification;

function fail(reason: EventFailureReason, detail: string): EventVerification {
  return { ok: false, reason, detail };
}

function envelopeProblem(m: Record<string, unknown>): string | undefined {
  if (!isLowercaseUuid(m.id)) return 'id must be a lowercase UUID';
  if (typeof m.stream !== 'string' || m.stream.length === 0) return 'stream must be a non-empty string';
  if (!Number.isSafeInteger(m.revision) || (m.revision as number) < 0) return 'revision must be an integer ≥ 0';
  if (typeof m.type !== 'string' || m.type.length === 0) return 'type must be a non-empty string';
  if (!isEnvelopeTime(m.time)) return 'time must be YYYY-MM-DDTHH:mm:ss.sssZ';
  const actor = actorProblem(m.actor);
  if (actor) return actor;
  if (typeof m.$correlationId !== 'string') return '$correlationId must be a string';
  if (typeof m.$causationId !== 'string') return '$causationId must be a string';
  // dataHash and hash are checked against their recomputed values (which are well-formed) further on.
  if (typeof m.dataHash !== 'string' || typeof m.hash !== 'string') return 'dataHash and hash must be strings';
  if (!isHashHex(m.prev)) return 'prev must be 64 lowercase hex characters';
  if (typeof m.sig !== 'string') return 'sig must be a string';
  return undefined;
}
