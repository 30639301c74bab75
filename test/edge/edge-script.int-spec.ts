import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EDGE_SCRIPT } from './support/edge-process';

/** deploy/edge/edge.sh up to the point where it would start nginx: checks and failures, with their messages. */
function runScript(env: Record<string, string>): { status: number | null; stderr: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-edge-script-'));
  try {
    const run = spawnSync('bash', [EDGE_SCRIPT], { env: { PATH: process.env.PATH ?? '', EDGE_DIR: dir, ...env }, encoding: 'utf8', timeout: 30_000 });
    return { status: run.status, stderr: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('npm run edge (deploy/edge/edge.sh)', () => {
  it.each([
    ['EDGE_PORT', '84a3'],
    ['EDGE_UPSTREAM', 'api; include /etc/passwd'],
    ['EDGE_RATE', '20r/s; deny all'],
    ['EDGE_BURST', '-1'],
  ])('refuses %s=%j before writing any configuration', (name, value) => {
    const run = runScript({ [name]: value });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`edge: ${name} must match`);
  });

  it('fails, naming what is missing, when the OWASP CRS rules are not installed', () => {
    const run = runScript({ EDGE_PORT: '1', EDGE_CRS_RULES: '/nonexistent/modsecurity-crs/rules' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('the OWASP CRS rules are missing (/nonexistent/modsecurity-crs/rules)');
  });
});
