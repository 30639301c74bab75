import { isCanonicalObjectText, sha256Hex } from '@ledgerline/integrity';

/** The values of the 11 members §3's `hash` covers, each already known to be plain (its JSON text is itself in quotes). */
export interface HashedMembers {
  causationId: string;
  correlationId: string;
  /** The actor's JCS text. */
  actorText: string;
  dataHash: string;
  id: string;
  prev: string;
  /** The revision's decimal text, or the number. */
  revision: string | number;
  stream: string;
  time: string;
  type: string;
}

/**
 * JCS of the 11 hashed members, by a template: their member order is fixed ("$" sorts before letters),
 * and every value is plain (PLAIN strings, or hex, uuid and time forms), so no sort and no escaping.
 */
export function hashedMembersText(m: HashedMembers): string {
  return (
    `{"$causationId":"${m.causationId}","$correlationId":"${m.correlationId}","actor":${m.actorText},"dataHash":"${m.dataHash}",` +
    `"id":"${m.id}","prev":"${m.prev}","revision":${m.revision},"stream":"${m.stream}","time":"${m.time}","type":"${m.type}","v":1}`
  );
}

/**
 * True when the data's stored text is its own JCS text and hashes to `dataHash`: then it is
 * JCS(JSON.parse(dataText)), so its hash is the one verifyEvent would compute (H(JCS(data))).
 */
export function storedDataHashesTo(dataText: string, dataHash: string): boolean {
  return isCanonicalObjectText(dataText) && sha256Hex(dataText) === dataHash;
}
