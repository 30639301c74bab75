import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:tls';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../support/api-process';

export const EDGE_SCRIPT = path.join(REPO_ROOT, 'deploy/edge/edge.sh');

/** One ModSecurity audit-log entry (JSON line), as far as the specs read it. */
export interface AuditEntry {
  transaction: {
    unique_id: string;
    request: { method: string; uri: string };
    response: { http_code: number };
    messages: { message: string; details: { ruleId: string; data: string } }[];
  };
}

export interface EdgeProcess {
  port: number;
  dir: string;
  /** The dev certificate the edge generated (PEM), to pin in the client. */
  ca: string;
  output(): string;
  /** Every entry of the WAF's audit log so far. */
  auditLog(): AuditEntry[];
  stop(): Promise<void>;
}

export interface EdgeOptions {
  upstreamPort: number;
  port: number;
  rate?: string;
  burst?: number;
}

/**
 * Runs `deploy/edge/edge.sh` (nginx + ModSecurity + CRS, in the foreground) in a fresh EDGE_DIR and
 * waits until it completes a TLS handshake. Missing Debian packages make this throw with the
 * script's own message: the edge specs fail, they never skip.
 */
export async function startEdge(options: EdgeOptions): Promise<EdgeProcess> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-edge-'));
  const child: ChildProcess = spawn('bash', [EDGE_SCRIPT], {
    env: {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      EDGE_DIR: dir,
      EDGE_PORT: String(options.port),
      EDGE_UPSTREAM: `127.0.0.1:${options.upstreamPort}`,
      EDGE_RATE: options.rate ?? '1000r/s',
      EDGE_BURST: String(options.burst ?? 1000),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 180_000; // the first run may install the Debian packages
  for (;;) {
    if (child.exitCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`the edge (deploy/edge/edge.sh) exited with ${child.exitCode} before listening:\n${output.slice(-3000)}`);
    }
    if (existsSync(path.join(dir, 'nginx.pid')) && (await handshakes(options.port))) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the edge did not listen on ${options.port} in time:\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const audit = path.join(dir, 'logs/modsec_audit.json');
  return {
    port: options.port,
    dir,
    ca: readFileSync(path.join(dir, 'tls/edge.crt'), 'utf8'),
    output: () => output,
    auditLog: () =>
      existsSync(audit)
        ? readFileSync(audit, 'utf8')
            .split('\n')
            .filter((line) => line.trim() !== '')
            .map((line) => JSON.parse(line) as AuditEntry)
        : [],
    stop: async () => {
      // SIGQUIT: nginx's graceful stop, which lets workers flush their logs.
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function handshakes(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false }, () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
