import { isCalendarTime, PLAIN_JSON_CHAR as PLAIN, sha256Hex, TIME_PATTERN as TIME, UUID_PATTERN as UUID, ZERO_HASH } from '@ledgerline/integrity';
import { hashedMembersText, storedDataHashesTo } from './hashed-members';

/** What the chain and tree checks need of an envelope that verified. */
export interface EnvelopeLinks {
  hash: string;
  prev: string;
  sig: string;
}

const HEX64 = '[0-9a-f]{64}';
/**
 * dataHash and hash are only accepted equal to a recomputed hex digest, which proves their form (and that
 * no quote hides in them): matching any 64 characters there saves a quarter of the expression's time.
 */
const ANY64 = '[^]{64}';

/**
 * The metadata text exactly as the sealed write path stores it: JSON.stringify of sealEvent's envelope,
 * members in ENVELOPE_MEMBERS order, an actor as the API writes one (kind and id, then any of session,
 * org, mfa, ref, in that order), no extra member, no whitespace, no escape. A match is a JSON object
 * with exactly the §3 members, and each capture is a member's value as JSON.parse would give it.
 * One regular expression reads it faster than JSON.parse and the envelope rules after it (measured).
 */
const ENVELOPE_HEAD = `\\{"v":1,"id":"(${UUID})","stream":"(${PLAIN}+)","revision":(0|[1-9][0-9]{0,15}),"type":"(${PLAIN}+)","time":"(${TIME})"`;
const ACTOR = `\\{"kind":"(user|webhook|system)","id":"(${PLAIN}+)"(?:,"session":"(${PLAIN}*)")?(?:,"org":"(${PLAIN}*)")?(?:,"mfa":(true|false))?(?:,"ref":"(${PLAIN}*)")?\\}`;
const CAUSES = `"\\$correlationId":"(${PLAIN}*)","\\$causationId":"(${PLAIN}*)"`;
const LINKS = `"dataHash":"(${ANY64})","prev":"(${HEX64})","hash":"(${ANY64})","sig":"([A-Za-z0-9_-]*\\.\\.[A-Za-z0-9_-]*)"`;
// Built from constant parts only (no input reaches the pattern). No backtracking: every open-ended run
// stops at a quote it cannot match, and the others have fixed lengths.
const STORED_LAYOUT = new RegExp(`^${ENVELOPE_HEAD},"actor":${ACTOR},${CAUSES},${LINKS}\\}$`);

// Capture numbers in STORED_LAYOUT.
const ID = 1;
const STREAM = 2;
const REVISION = 3;
const TYPE = 4;
const TIME_AT = 5;
const ACTOR_KIND = 6;
const ACTOR_ID = 7;
const SESSION = 8;
const ORG = 9;
const MFA = 10;
const REF = 11;
const CORRELATION = 12;
const CAUSATION = 13;
const DATA_HASH = 14;
const PREV = 15;
const HASH = 16;
const SIG = 17;

/**
 * verifyEvent in fast mode (everything but the Ed25519 verify) for a row as SQLite stores it, without
 * JSON.parse: STORED_LAYOUT takes the metadata text apart, the row's id, stream, revision and type are
 * compared with it, the 11 hashed members are put back together in JCS order by a template, and the
 * data text is hashed as it is when it is its own JCS text. Returns the links only when verifyEvent
 * would accept the event; undefined means "parse it and let verifyEvent decide" (another layout, an
 * escape, a mismatch, a failure).
 */
export function storedEnvelopeLinks(id: string, stream: string, revision: number, type: string, dataText: string, metadataText: string): EnvelopeLinks | undefined {
  const m = STORED_LAYOUT.exec(metadataText);
  if (m === null || m[ID] !== id || m[STREAM] !== stream || m[TYPE] !== type || Number(m[REVISION]) !== revision) return undefined;
  const prev = m[PREV];
  if (revision === 0 && prev !== ZERO_HASH) return undefined;
  const time = m[TIME_AT];
  // The expression proved the time's form; its fields must still name a real instant.
  if (!isCalendarTime(time)) return undefined;
  const dataHash = m[DATA_HASH];
  if (!storedDataHashesTo(dataText, dataHash)) return undefined;
  const hashed = hashedMembersText({
    causationId: m[CAUSATION],
    correlationId: m[CORRELATION],
    actorText: canonicalActor(m),
    dataHash,
    id,
    prev,
    revision: m[REVISION],
    stream,
    time,
    type,
  });
  const hash = m[HASH];
  if (sha256Hex(hashed) !== hash) return undefined;
  return { hash, prev, sig: m[SIG] };
}

/** The matched actor's JCS text: members sorted by name (id, kind, mfa, org, ref, session), each there at most once. */
function canonicalActor(m: RegExpExecArray): string {
  let text = `{"id":"${m[ACTOR_ID]}","kind":"${m[ACTOR_KIND]}"`;
  if (m[MFA] !== undefined) text += `,"mfa":${m[MFA]}`;
  if (m[ORG] !== undefined) text += `,"org":"${m[ORG]}"`;
  if (m[REF] !== undefined) text += `,"ref":"${m[REF]}"`;
  if (m[SESSION] !== undefined) text += `,"session":"${m[SESSION]}"`;
  return `${text}}`;
}
