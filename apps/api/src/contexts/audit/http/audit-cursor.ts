import { formatPosition, parsePosition } from '../../../platform/projections/positions';

/** The opaque audit cursor: b64url of the global position to continue after. */
export function encodeAuditCursor(position: bigint): string {
  return Buffer.from(formatPosition(position), 'utf8').toString('base64url');
}

/** The position inside a cursor, or undefined when the text is not a cursor this API made. */
export function decodeAuditCursor(cursor: string): bigint | undefined {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return undefined;
  return parsePosition(Buffer.from(cursor, 'base64url').toString('utf8'));
}
