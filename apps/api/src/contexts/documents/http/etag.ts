/** `ETag: "<revision>"` (SPEC §7.2): a strong tag of the document stream's revision. */
export function etagOf(revision: number): string {
  return `"${revision}"`;
}

/** An If-Match no revision can equal (a malformed tag): the command then fails with 412 unless it fails earlier. */
const NEVER_MATCHES = -1;

/**
 * The revision an If-Match names: undefined when the header is absent or `*` (any current
 * representation); a tag that is not one of ours can never match.
 */
export function expectedRevisionFrom(ifMatch: string | string[] | undefined): number | undefined {
  if (ifMatch === undefined) return undefined;
  const value = (Array.isArray(ifMatch) ? ifMatch.join(',') : ifMatch).trim();
  if (value === '*') return undefined;
  const match = /^"(0|[1-9]\d{0,9})"$/.exec(value);
  if (!match) return NEVER_MATCHES;
  const revision = Number(match[1]);
  return Number.isSafeInteger(revision) ? revision : NEVER_MATCHES;
}
