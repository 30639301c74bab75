import { isHashHex } from '../hash';
import { EnvelopeError } from '../integrity.errors';
import { leafHash } from './tree-hash';

/** The notary's own stream: its events are sealed but are not leaves of the log they checkpoint (§4). */
export const CHECKPOINT_STREAM = 'audit-checkpoints';
/** Witnessed checkpoints, stored beside the signed ones; not leaves either (§4), or every cosigning would grow the tree. */
export const COSIGNATURE_STREAM = 'audit-cosignatures';

/** §4: the notary's own streams (signed and witnessed checkpoints): sealed events that are not leaves. */
export function isNotaryStream(stream: string): boolean {
  return stream === CHECKPOINT_STREAM || stream === COSIGNATURE_STREAM;
}

/** §4: a stored event is a leaf of the global log when it carries a v:1 envelope and is not a checkpoint or cosignature event. */
export function isLogLeaf(event: { stream: string; metadata: unknown }): boolean {
  const metadata = event.metadata as { v?: unknown } | null | undefined;
  return !isNotaryStream(event.stream) && typeof metadata === 'object' && metadata !== null && metadata.v === 1;
}

/** §4 leaf input: the 32 bytes of the event's `hash`. Throws EnvelopeError when the hash is not 64 lowercase hex. */
export function leafInputOf(metadata: unknown): Buffer {
  const hash = (metadata as { hash?: unknown } | null | undefined)?.hash;
  if (!isHashHex(hash)) throw new EnvelopeError('metadata.hash is not 64 lowercase hex characters');
  return Buffer.from(hash, 'hex');
}

/** RFC 9162 leaf hash of a sealed event: H(0x00 || bytes of metadata.hash). */
export function eventLeafHash(metadata: unknown): Buffer {
  return leafHash(leafInputOf(metadata));
}
