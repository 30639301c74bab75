import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './api-process';

export const WITNESS_MAIN = path.join(REPO_ROOT, 'dist/apps/witness/src/main.js');

export interface WitnessProcess {
  child: ChildProcess;
  baseUrl: string;
  port: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the compiled witness (`npm run build` first) and resolves once it logged the port it listens on (`port` 0: any free one). */
export async function startWitnessProcess(env: Record<string, string>, port = 0): Promise<WitnessProcess> {
  if (!existsSync(WITNESS_MAIN)) throw new Error(`${WITNESS_MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [WITNESS_MAIN], { env: { PATH: process.env.PATH ?? '', WITNESS_PORT: String(port), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /"message":"witness listening"[^\n]*"port":(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    void exited.then(({ code }) => reject(new Error(`witness exited early (${code}): ${output.slice(-2000)}`)));
    setTimeout(() => reject(new Error(`witness did not listen within 10 s: ${output.slice(-2000)}`)), 10_000).unref();
  });
  const actual = await listening;
  return { child, port: actual, baseUrl: `http://127.0.0.1:${actual}`, output: () => output, exited };
}

/** Stops a witness (SIGTERM, or SIGKILL when asked) and waits for it to be gone. */
export async function stopWitness(witness: WitnessProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (witness.child.exitCode === null && witness.child.signalCode === null) witness.child.kill(signal);
  await witness.exited;
}
