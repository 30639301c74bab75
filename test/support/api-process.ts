import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const API_MAIN = path.join(REPO_ROOT, 'dist/apps/api/src/main.js');
export const WORKER_MAIN = path.join(REPO_ROOT, 'dist/apps/api/src/worker.js');

export interface ApiProcess {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the compiled API (`npm run build` first) as a real process and waits until it answers. */
export async function startApiProcess(env: Record<string, string>, port: number, entry = API_MAIN, nodeArgs: readonly string[] = []): Promise<ApiProcess> {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  // Generous: a loaded 2-core CI machine has taken 18 s to boot the app.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`API exited early (${child.exitCode}): ${output.slice(-2000)}`);
    try {
      const response = await fetch(`${baseUrl}/health/live`);
      if (response.ok) return { child, baseUrl, output: () => output, exited };
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`API did not answer within 60 s: ${output.slice(-2000)}`);
}

/** Where this jest worker's ports start: each worker has its own slice, so parallel suites never pick the same port. */
const PORT_SLICE = 1_000;
let portsTaken = Math.floor(Math.random() * PORT_SLICE);

/**
 * A port for a child API: below Linux's ephemeral range (32768 and up), where no outgoing connection
 * (fetch, PostgreSQL, Redis) can be holding it, and taken in turn within this worker's slice.
 */
export function randomPort(): number {
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  const sliceStart = 20_000 + ((worker - 1) % 12) * PORT_SLICE;
  return sliceStart + (portsTaken++ % PORT_SLICE);
}
