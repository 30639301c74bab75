#!/usr/bin/env node
// @ts-check
// `npm run audit:security`: the project's security audit, one report, non-zero exit on any finding.
//   1. dependencies  npm audit of production dependencies; high and critical fail
//   2. lint          ESLint security rules over apps/ and libs/ (eslint.security.config.mjs)
//   3. secrets       committed secrets and private keys in the files git tracks (allowlist.json)
//   4. store         whole-log verify-store of a given event store (skipped when none is given)
//
// Usage: npm run audit:security -- [--only dependencies,lint,secrets,store]
//          [--events <sqlite file | esdb://…> --jwks <file> --log-key <vkey|file>]
//          [--require-dependency-audit] [--json]
// The dependency audit needs the registry's audit endpoint; when it cannot be reached the report says
// so and the audit goes on (exit 0 if nothing else is found), unless --require-dependency-audit.
// Exit: 0 no finding, 1 findings, 2 usage error.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { auditDependencies } from './dependency-audit.mjs';
import { loadAllowlist, scanTrackedFiles } from './secret-scan.mjs';
import { lintSecurity } from './security-lint.mjs';
import { verifyStore } from './store-verification.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const CHECKS = ['dependencies', 'lint', 'secrets', 'store'];

/** @returns {{ only: string[], events?: string, jwks?: string, logKey?: string, requireDependencyAudit: boolean, json: boolean }} */
function parseArgs(/** @type {string[]} */ argv) {
  /** @type {ReturnType<typeof parseArgs>} */
  const options = { only: CHECKS, requireDependencyAudit: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--only') {
      options.only = value().split(',').map((s) => s.trim());
      const unknown = options.only.filter((c) => !CHECKS.includes(c));
      if (unknown.length > 0) throw new Error(`unknown check ${unknown.join(', ')} (checks: ${CHECKS.join(', ')})`);
    } else if (arg === '--events') options.events = value();
    else if (arg === '--jwks') options.jwks = value();
    else if (arg === '--log-key') options.logKey = value();
    else if (arg === '--require-dependency-audit') options.requireDependencyAudit = true;
    else if (arg === '--json') options.json = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

/** @typedef {{ check: string, status: 'passed' | 'failed' | 'unavailable' | 'skipped', summary: string, findings: string[] }} Section */

function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`audit:security: ${/** @type {Error} */ (error).message}\n`);
    return 2;
  }
  /** @type {Section[]} */
  const sections = [];
  const section = (/** @type {string} */ check, /** @type {() => Omit<Section, 'check'>} */ run) => {
    if (!options.only.includes(check)) return;
    if (!options.json) process.stderr.write(`audit:security: ${check}…\n`);
    sections.push({ check, ...run() });
  };

  section('dependencies', () => {
    const result = auditDependencies(root);
    if (result.status === 'unavailable' && options.requireDependencyAudit) return { ...result, status: 'failed', findings: [result.summary] };
    return result;
  });
  section('lint', () => lintSecurity(root));
  section('secrets', () => {
    const { scanned, findings, allowed } = scanTrackedFiles(root, loadAllowlist(path.join(here, 'allowlist.json')));
    return {
      status: findings.length > 0 ? 'failed' : 'passed',
      summary: `${scanned} tracked files scanned, ${findings.length} findings, ${allowed} allowlisted`,
      findings: findings.map((f) => `${f.path}:${f.line} ${f.rule}: ${f.preview} (fingerprint ${f.fingerprint})`),
    };
  });
  section('store', () => verifyStore(root, options));

  const failed = sections.filter((s) => s.status === 'failed');
  const findings = sections.reduce((n, s) => n + s.findings.length, 0);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: failed.length === 0, findings, sections }, null, 2)}\n`);
  } else {
    const lines = ['', 'Security audit report', ''];
    for (const s of sections) {
      lines.push(`  ${s.check.padEnd(13)} ${s.status.toUpperCase().padEnd(12)} ${s.summary}`);
      for (const finding of s.findings) lines.push(`      - ${finding}`);
    }
    lines.push('', failed.length === 0 ? `audit:security: no findings` : `audit:security: ${findings} findings in ${failed.map((s) => s.check).join(', ')}`, '');
    process.stdout.write(lines.join('\n'));
  }
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = main();
