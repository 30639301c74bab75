import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const VERIFIER_MAIN = path.join(REPO_ROOT, 'dist/apps/verifier/src/main.js');

export interface VerifierRun {
  status: number | null;
  /** The signal that ended the process, if one did (status is then null). */
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The parsed stdout, when `--json` was given and it printed a report. */
  report?: {
    ok: boolean;
    command: string;
    checked: { events: number; streams: number; checkpoints: number; leaves: number };
    keysSelfAsserted?: boolean;
    firstFailure?: { kind: string; stream?: string; revision?: number; position?: number; line?: number; reason: string };
  };
}

/** Runs the compiled CLI (`npm run build` first; `npm test` does) as a child process, as a user would. */
export function runVerifier(args: string[], input?: Buffer): VerifierRun {
  if (!existsSync(VERIFIER_MAIN)) throw new Error(`${VERIFIER_MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawnSync(process.execPath, [VERIFIER_MAIN, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 60_000 });
  if (child.error) throw child.error;
  const run: VerifierRun = { status: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr };
  if (args.includes('--json') && child.stdout.trim().startsWith('{')) run.report = JSON.parse(child.stdout);
  return run;
}

/** runVerifier without blocking this process's event loop (needed when this process serves the store, e.g. an EventStoreDB stand-in). */
export async function runVerifierAsync(args: string[]): Promise<VerifierRun> {
  if (!existsSync(VERIFIER_MAIN)) throw new Error(`${VERIFIER_MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [VERIFIER_MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const { status, signal } = await new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code, closedBy) => {
      clearTimeout(timer);
      resolve({ status: code, signal: closedBy });
    });
  });
  const run: VerifierRun = { status, signal, stdout, stderr };
  if (args.includes('--json') && stdout.trim().startsWith('{')) run.report = JSON.parse(stdout);
  return run;
}
