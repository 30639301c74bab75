// @ts-check
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * ESLint with the security rules of eslint.security.config.mjs over apps/ and libs/, inline
 * `eslint-disable` comments ignored.
 * @returns {{ status: 'passed' | 'failed', summary: string, findings: string[] }}
 */
export function lintSecurity(/** @type {string} */ root) {
  const eslint = path.join(root, 'node_modules/eslint/bin/eslint.js');
  const config = path.join(root, 'scripts/security-audit/eslint.security.config.mjs');
  const run = spawnSync(process.execPath, [eslint, '--config', config, '--no-inline-config', '--format', 'json', 'apps', 'libs'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  /** @type {{ filePath: string, messages: { line: number, ruleId: string | null, message: string }[] }[]} */
  let results;
  try {
    results = JSON.parse(run.stdout);
  } catch {
    return { status: 'failed', summary: `ESLint did not run (exit ${run.status})`, findings: [run.stderr.trim().split('\n').slice(0, 5).join(' ')] };
  }
  const findings = results.flatMap((file) =>
    file.messages.map((m) => `${path.relative(root, file.filePath)}:${m.line} ${m.ruleId ?? 'parse-error'}: ${m.message}`),
  );
  return { status: findings.length > 0 ? 'failed' : 'passed', summary: `${results.length} files linted, ${findings.length} findings`, findings };
}
