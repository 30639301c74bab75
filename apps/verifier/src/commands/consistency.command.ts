import { existsSync } from 'node:fs';
import { b64DecodeStrict, NoteError, openCheckpoint, verifyConsistency, type Checkpoint, type NoteVerifierKey } from '@ledgerline/integrity';
import type { CliIo } from '../cli/cli-io';
import { emitReport, type CliReport } from '../cli/cli-report';
import { readInputFile, readLogKey } from '../cli/key-inputs';
import { flagValue, parseArgs } from '../cli/parse-args';
import { UsageError } from '../cli/usage-error';
import { readWitnessPolicy, witnessFailure, WITNESS_FLAGS } from '../cli/witness-inputs';

const FLAGS = [
  { name: 'old', value: true, required: true },
  { name: 'new', value: true, required: true },
  { name: 'proof', value: true, required: true },
  { name: 'log-key', value: true, required: true },
  { name: 'json', value: false },
  ...WITNESS_FLAGS,
];

/** `consistency --old <note> --new <note> --proof <b64,…|file> --log-key <vkey|file> [--witness-key <vkey|file>]… [--witness-quorum <k>] [--json]`: RFC 9162 §2.1.4.2. */
export async function consistencyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, FLAGS, 'consistency');
  if (parsed.positionals.length > 0) throw new UsageError(`consistency: unexpected argument ${parsed.positionals[0]}`);
  const json = parsed.flags.has('json');
  const logKey = readLogKey(flagValue(parsed, 'log-key') as string);
  const oldNote = readInputFile(flagValue(parsed, 'old') as string, '--old');
  const newNote = readInputFile(flagValue(parsed, 'new') as string, '--new');
  const proof = readProof(flagValue(parsed, 'proof') as string);
  const witnesses = readWitnessPolicy(parsed, 'consistency');

  const report: CliReport = { ok: false, command: 'consistency', checked: { events: 0, streams: 0, checkpoints: 0, leaves: 0 } };
  const older = open(oldNote, logKey, 'old');
  if ('kind' in older) return emitReport({ ...report, firstFailure: older }, json, io, '');
  const newer = open(newNote, logKey, 'new');
  if ('kind' in newer) return emitReport({ ...report, checked: { ...report.checked, checkpoints: 1 }, firstFailure: newer }, json, io, '');
  const checked = { events: 0, streams: 0, checkpoints: 2, leaves: newer.size };
  const unwitnessed = witnessFailure(oldNote, witnesses, 'old') ?? witnessFailure(newNote, witnesses, 'new');
  if (unwitnessed !== undefined) return emitReport({ ...report, checked, firstFailure: unwitnessed }, json, io, '');
  if (!verifyConsistency(older.size, newer.size, proof, older.rootHash, newer.rootHash)) {
    const reason =
      older.size > newer.size
        ? `the old checkpoint (size ${older.size}) is larger than the new one (size ${newer.size})`
        : `the proof does not show that the tree of size ${newer.size} extends the tree of size ${older.size}`;
    return emitReport({ ...report, checked, firstFailure: { kind: 'consistency', reason } }, json, io, '');
  }
  return emitReport({ ...report, ok: true, checked }, json, io, `the checkpoint of size ${newer.size} extends the checkpoint of size ${older.size}`);
}

function open(note: string, logKey: NoteVerifierKey, which: 'old' | 'new'): Checkpoint | { kind: string; reason: string } {
  try {
    return openCheckpoint(note, logKey);
  } catch (error) {
    if (!(error instanceof NoteError)) throw error;
    return { kind: 'checkpoint-note', reason: `the ${which} checkpoint does not verify with the log key (${error.code}: ${error.message})` };
  }
}

/**
 * The proof hashes: standard base64, given inline (comma-separated) or in a file (comma- or
 * newline-separated, or the JSON the API serves: an array or `{ "proof": [...] }`). The empty proof
 * between two equal sizes is an empty file or `[]`.
 */
function readProof(value: string): Buffer[] {
  const text = existsSync(value) ? readInputFile(value, '--proof').trim() : value.trim();
  let items: unknown[];
  if (text.startsWith('{') || text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new UsageError('--proof: not valid JSON');
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { proof?: unknown } | null)?.proof;
    if (!Array.isArray(list)) throw new UsageError('--proof: JSON must be an array of hashes or an object with a "proof" array');
    items = list;
  } else {
    items = text === '' ? [] : text.split(/[\s,]+/).filter((item) => item !== '');
  }
  return items.map((item, i) => {
    const bytes = typeof item === 'string' ? b64DecodeStrict(item) : undefined;
    if (bytes === undefined || bytes.length !== 32) throw new UsageError(`--proof: hash ${i + 1} is not the standard base64 of 32 bytes`);
    return bytes;
  });
}
