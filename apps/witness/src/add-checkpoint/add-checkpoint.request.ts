import { b64DecodeStrict } from '@ledgerline/integrity';

/** A parsed `add-checkpoint` body (c2sp.org/tlog-witness): old size, consistency proof, signed checkpoint. */
export interface AddCheckpointRequest {
  oldSize: number;
  proof: Buffer[];
  note: string;
}

/** tlog-witness: a client sends at most 63 proof lines. */
const MAX_PROOF_LINES = 63;
const OLD_LINE = /^old (0|[1-9][0-9]{0,15})$/;

/** Parses the body, or answers why it is malformed (the witness says so with a 400). */
export function parseAddCheckpoint(body: string): AddCheckpointRequest | { malformed: string } {
  const lines: string[] = [];
  let at = 0;
  for (;;) {
    const end = body.indexOf('\n', at);
    if (end < 0) return { malformed: 'the body ends before the empty line that precedes the checkpoint' };
    const line = body.slice(at, end);
    at = end + 1;
    if (line === '') break;
    lines.push(line);
    if (lines.length > MAX_PROOF_LINES + 1) return { malformed: `more than ${MAX_PROOF_LINES} consistency proof lines` };
  }
  const old = OLD_LINE.exec(lines[0] ?? '');
  if (old === null || !Number.isSafeInteger(Number(old[1]))) return { malformed: 'the first line must be "old <size>" (decimal, no leading zeros)' };
  const proof: Buffer[] = [];
  for (const line of lines.slice(1)) {
    const hash = b64DecodeStrict(line);
    if (hash === undefined || hash.length !== 32) return { malformed: 'a consistency proof line is the base64 of 32 bytes' };
    proof.push(hash);
  }
  const note = body.slice(at);
  if (note === '') return { malformed: 'no checkpoint after the empty line' };
  return { oldSize: Number(old[1]), proof, note };
}
