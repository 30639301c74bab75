import { formatPosition, parsePosition } from '../../../../platform/projections/positions';

/** The opaque list cursor: b64url of the last entry's sort key (its creation position). */
export function encodeDocumentCursor(position: bigint): string {
  return Buffer.from(formatPosition(position), 'utf8').toString('base64url');
}

/** The sort key inside a cursor, or undefined when the text is not a cursor this API made. */
export function decodeDocumentCursor(cursor: string): bigint | undefined {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return undefined;
  return parsePosition(Buffer.from(cursor, 'base64url').toString('utf8'));
}
