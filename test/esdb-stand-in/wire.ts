import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import type { StoredEvent } from './stand-in-log';

const UINT64_MASK = (1n << 64n) - 1n;

/** A stream name from the wire (bytes, UTF-8). */
export function streamNameOf(identifier: StreamIdentifier | undefined): string {
  if (!identifier) throw new Error('stream identifier missing');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

export function streamIdentifierOf(name: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Uint8Array.from(Buffer.from(name, 'utf8')));
}

/** The canonical lowercase string form of a UUID message, whichever of its two encodings it uses. */
export function uuidStringOf(uuid: UUID | undefined): string {
  if (!uuid) throw new Error('uuid missing');
  if (uuid.hasString()) return uuid.getString().toLowerCase();
  const structured = uuid.getStructured();
  if (!structured) throw new Error('uuid has neither form');
  const most = BigInt(structured.getMostSignificantBits()) & UINT64_MASK;
  const least = BigInt(structured.getLeastSignificantBits()) & UINT64_MASK;
  const hex = ((most << 64n) | least).toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A UUID message in the form the reader asked for (`structured` = two signed int64 halves, as .NET sends them). */
export function uuidMessageOf(id: string, structured: boolean): UUID {
  const uuid = new UUID();
  if (!structured) return uuid.setString(id);
  const value = BigInt(`0x${id.replace(/-/g, '')}`);
  const halves = new UUID.Structured()
    .setMostSignificantBits(BigInt.asIntN(64, value >> 64n).toString())
    .setLeastSignificantBits(BigInt.asIntN(64, value & UINT64_MASK).toString());
  return uuid.setStructured(halves);
}

/** A `ReadResp` carrying one stored event, shaped as the server's ConvertToReadEvent does. */
export function readEventResponseOf(event: StoredEvent, options: { structuredIds: boolean; withPosition: boolean }): ReadResp {
  const { commit, prepare } = options.withPosition ? event.position : { commit: UINT64_MASK, prepare: UINT64_MASK };
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidMessageOf(event.id, options.structuredIds))
    .setStreamIdentifier(streamIdentifierOf(event.stream))
    .setStreamRevision(String(event.revision))
    .setCommitPosition(commit.toString())
    .setPreparePosition(prepare.toString())
    .setData(event.data)
    .setCustomMetadata(event.metadata);
  recorded.getMetadataMap().set('type', event.type).set('content-type', event.contentType).set('created', event.created.toString());
  const readEvent = new ReadResp.ReadEvent().setEvent(recorded);
  if (options.withPosition) readEvent.setCommitPosition(commit.toString());
  else readEvent.setNoPosition(new Empty());
  return new ReadResp().setEvent(readEvent);
}
