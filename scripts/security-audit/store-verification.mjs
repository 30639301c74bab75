// @ts-check
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The offline verifier's whole-log check of one store (`ledgerline-verify verify-store`): every
 * envelope, chain, checkpoint and the Merkle tree. Needs `npm run build` first.
 * @param {string} root
 * @param {{ events?: string, jwks?: string, logKey?: string }} store
 * @returns {{ status: 'passed' | 'failed' | 'skipped', summary: string, findings: string[] }}
 */
export function verifyStore(root, store) {
  if (store.events === undefined) return { status: 'skipped', summary: 'no store given (--events <sqlite file | esdb://…> --jwks <file> --log-key <vkey|file>)', findings: [] };
  if (store.jwks === undefined || store.logKey === undefined) {
    return { status: 'failed', summary: 'a store needs --jwks and --log-key too', findings: ['verify-store: --jwks and --log-key are required with --events'] };
  }
  const verifier = path.join(root, 'dist/apps/verifier/src/main.js');
  if (!existsSync(verifier)) return { status: 'failed', summary: 'the verifier is not built: run `npm run build`', findings: [`${verifier} is missing`] };
  const run = spawnSync(process.execPath, [verifier, 'verify-store', '--events', store.events, '--jwks', store.jwks, '--log-key', store.logKey, '--json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  /** @type {any} */
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    return { status: 'failed', summary: `verify-store exited ${run.status}`, findings: [run.stderr.trim().split('\n').slice(0, 3).join(' ') || 'no report'] };
  }
  const checked = report.checked ?? {};
  const summary = `${checked.events ?? 0} events in ${checked.streams ?? 0} streams, ${checked.leaves ?? 0} leaves, ${checked.checkpoints ?? 0} checkpoints`;
  if (run.status === 0 && report.ok === true) return { status: 'passed', summary: `${summary} verified`, findings: [] };
  return { status: 'failed', summary, findings: [`verify-store: ${JSON.stringify(report.firstFailure ?? report)}`] };
}
