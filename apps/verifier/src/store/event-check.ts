import {
  canonicalize,
  isEnvelopeTime,
  isLowercaseUuid,
  PLAIN_JSON_CHAR,
  sha256Hex,
  verifyDetachedJws,
  verifyEvent,
  ZERO_HASH,
  type EventFailureReason,
  type EventMetadata,
  type KeyMap,
  type StoredEvent,
} from '@ledgerline/integrity';
import { hashedMembersText, storedDataHashesTo } from './hashed-members';

export type EventCheck = { ok: true; metadata: EventMetadata } | { ok: false; reason: EventFailureReason; detail: string };

/** v, id, stream, revision, type, time, actor, $correlationId, $causationId, dataHash, prev, hash, sig. */
const ENVELOPE_SIZE = 13;
/** A string JSON writes as is, in quotes: nothing to escape, no surrogate (else the lib decides). */
const PLAIN = new RegExp(`^${PLAIN_JSON_CHAR}*$`);
const ACTOR_KINDS = new Set(['user', 'webhook', 'system']);

/**
 * verifyEvent from the integrity lib, with the same answer, faster on the common shape. A metadata
 * object with exactly the 13 §3 members has a fixed JCS member order, so its canonical text is built
 * by a template instead of a generic sort. The fast path only ever answers "valid" when every check
 * verifyEvent makes holds; any doubt or failure is handed to verifyEvent itself, which then decides
 * (and names the reason). Costs one template, one JCS of data, two SHA-256 and, in full mode, one Ed25519 verify.
 */
export function checkEvent(event: StoredEvent, keys: KeyMap, checkSignature: boolean): EventCheck {
  const m = event.metadata as Record<string, unknown>;
  if (passesFastPath(event, keys, checkSignature)) return { ok: true, metadata: m as EventMetadata };
  const verified = verifyEvent(event, keys, { checkSignature });
  if (verified.ok) return { ok: true, metadata: m as EventMetadata };
  return verified;
}

/**
 * True only when verifyEvent would accept `event` (exported for its soundness spec); false means "ask verifyEvent".
 * With `dataText` (the data's stored JSON text; `event.data` is then not read), the text itself is hashed when it
 * is canonical: then it is JCS(JSON.parse(dataText)), so its hash is the one verifyEvent would compute.
 */
export function passesFastPath(event: StoredEvent, keys: KeyMap, checkSignature: boolean, dataText?: string): boolean {
  const m = event.metadata as Record<string, unknown>;
  if (typeof m !== 'object' || m === null || Array.isArray(m) || m.v !== 1) return false;
  // JSON.parse only makes plain objects, but canonicalize refuses anything else: so must this.
  const proto = Object.getPrototypeOf(m);
  if (proto !== Object.prototype && proto !== null) return false;
  // Exactly 13 members, each of the 13 names read below defined: so they are exactly the §3 members.
  let members = 0;
  for (const _ in m) members++;
  if (members !== ENVELOPE_SIZE) return false;

  const { id, stream, revision, type, time, actor, $correlationId, $causationId, dataHash, prev, hash, sig } = m;
  if (id !== event.id || !isLowercaseUuid(id)) return false;
  if (stream !== event.stream || typeof stream !== 'string' || stream.length === 0 || !PLAIN.test(stream)) return false;
  if (revision !== event.revision || !Number.isSafeInteger(revision) || (revision as number) < 0) return false;
  if (type !== event.type || typeof type !== 'string' || type.length === 0 || !PLAIN.test(type)) return false;
  if (!isEnvelopeTime(time) || !isActor(actor)) return false;
  if (typeof $correlationId !== 'string' || !PLAIN.test($correlationId)) return false;
  if (typeof $causationId !== 'string' || !PLAIN.test($causationId)) return false;
  // dataHash and hash are compared with recomputed hex digests below, which also proves their form.
  if (typeof dataHash !== 'string' || typeof hash !== 'string' || !isLowerHex64(prev) || typeof sig !== 'string') return false;
  if (revision === 0 && prev !== ZERO_HASH) return false;

  if (dataText === undefined ? !objectHashesTo(event.data, dataHash) : !storedDataHashesTo(dataText, dataHash)) return false;
  let actorText: string;
  try {
    actorText = canonicalize(actor);
  } catch {
    return false;
  }
  const text = hashedMembersText({
    causationId: $causationId,
    correlationId: $correlationId,
    actorText,
    dataHash,
    id: id as string,
    prev: prev as string,
    revision: revision as number,
    stream,
    time: time as string,
    type,
  });
  if (sha256Hex(text) !== hash) return false;
  if (!checkSignature) return sig.includes('..');
  return verifyDetachedJws(sig, hash, keys).ok;
}

/** H(JCS(data)) = dataHash for a data object (a JSON object: verifyEvent refuses anything else). */
function objectHashesTo(data: unknown, dataHash: string): boolean {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  try {
    return sha256Hex(canonicalize(data)) === dataHash;
  } catch {
    return false;
  }
}

function isActor(actor: unknown): boolean {
  if (typeof actor !== 'object' || actor === null || Array.isArray(actor)) return false;
  const { kind, id } = actor as { kind?: unknown; id?: unknown };
  return typeof kind === 'string' && ACTOR_KINDS.has(kind) && typeof id === 'string' && id.length > 0;
}

/** isHashHex without a regex: this runs once per event. */
function isLowerHex64(value: unknown): boolean {
  if (typeof value !== 'string' || value.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || (c > 57 && c < 97) || c > 102) return false;
  }
  return true;
}
