import { existsSync } from 'node:fs';
import { checkWitnessQuorum, parseCosignerKey, type WitnessPolicy } from '@ledgerline/integrity';
import { readInputFile } from './key-inputs';
import type { FlagSpec, ParsedArgs } from './parse-args';
import { UsageError } from './usage-error';

/** `--witness-key <vkey|file>` (repeatable) and `--witness-quorum <k>`: every command that checks checkpoints takes them. */
export const WITNESS_FLAGS: FlagSpec[] = [
  { name: 'witness-key', value: true, repeatable: true },
  { name: 'witness-quorum', value: true },
];

/**
 * The pinned witness keys and quorum, or undefined when none is given. A quorum needs keys, keys
 * need a quorum (an implicit one would silently weaken or break the check), and k ≤ the number of keys.
 */
export function readWitnessPolicy(parsed: ParsedArgs, command: string): WitnessPolicy | undefined {
  const values = parsed.repeated.get('witness-key') ?? [];
  const quorumText = parsed.flags.get('witness-quorum');
  if (values.length === 0 && quorumText === undefined) return undefined;
  if (values.length === 0) throw new UsageError(`${command}: --witness-quorum needs at least one --witness-key`);
  if (typeof quorumText !== 'string') throw new UsageError(`${command}: --witness-key needs --witness-quorum <k>`);
  const keys = values.map((value) => {
    const text = existsSync(value) ? readInputFile(value, '--witness-key').trim() : value.trim();
    try {
      return parseCosignerKey(text);
    } catch (error) {
      throw new UsageError(`${command}: --witness-key: not a witness (cosignature/v1, type 0x04) verifier key: ${(error as Error).message}`);
    }
  });
  if (new Set(keys.map((key) => key.vkey)).size !== keys.length) throw new UsageError(`${command}: --witness-key names one key twice`);
  const quorum = Number(quorumText);
  if (!/^[0-9]+$/.test(quorumText) || quorum < 1 || quorum > keys.length) {
    throw new UsageError(`${command}: --witness-quorum must be a whole number from 1 to ${keys.length} (the witness keys given)`);
  }
  return { keys, quorum };
}

/** The CLI failure for a checkpoint note short of the pinned witness quorum, or undefined when it meets it (or no policy was given). */
export function witnessFailure(note: string, policy: WitnessPolicy | undefined, which: string): { kind: string; reason: string } | undefined {
  if (policy === undefined) return undefined;
  const check = checkWitnessQuorum(note, policy.keys, policy.quorum);
  return check.ok ? undefined : { kind: check.reason, reason: `the ${which} checkpoint: ${check.detail}` };
}
