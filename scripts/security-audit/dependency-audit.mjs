// @ts-check
import { spawnSync } from 'node:child_process';

/** Network and HTTP failures that mean "no audit endpoint here", not "vulnerable". */
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'ERR_SOCKET_TIMEOUT']);

/**
 * `npm audit --omit=dev --audit-level=high --json` in `root`. High and critical advisories of
 * production dependencies are findings; when the registry's audit endpoint cannot be reached the
 * check is `unavailable`, with npm's reason.
 * @returns {{ status: 'passed' | 'failed' | 'unavailable', summary: string, findings: string[] }}
 */
export function auditDependencies(/** @type {string} */ root) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['audit', '--omit=dev', '--audit-level=high', '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  if (run.error) return { status: 'unavailable', summary: `npm could not run: ${run.error.message}`, findings: [] };
  /** @type {any} */
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    return { status: 'failed', summary: `npm audit printed no report (exit ${run.status}): ${run.stderr.trim().split('\n').slice(-2).join(' ')}`, findings: ['npm audit failed'] };
  }
  if (report.vulnerabilities === undefined) {
    const error = report.error ?? {};
    const reason = [report.message, error.summary, error.code ?? report.code].filter((s) => typeof s === 'string' && s.trim() !== '').join(' — ');
    const unreachable = typeof report.statusCode === 'number' || UNREACHABLE_CODES.has(error.code ?? report.code) || /audit endpoint|advisories|ENOTFOUND|EAI_AGAIN/.test(reason);
    if (unreachable) return { status: 'unavailable', summary: `the registry's audit endpoint cannot be reached: ${reason || `exit ${run.status}`}`, findings: [] };
    return { status: 'failed', summary: `npm audit failed: ${reason || `exit ${run.status}`}`, findings: [reason || 'npm audit failed'] };
  }
  const counts = report.metadata?.vulnerabilities ?? {};
  /** @type {string[]} */
  const findings = [];
  for (const [name, vulnerability] of Object.entries(report.vulnerabilities)) {
    const v = /** @type {any} */ (vulnerability);
    if (v.severity !== 'high' && v.severity !== 'critical') continue;
    const advisories = (v.via ?? []).filter((/** @type {any} */ via) => typeof via === 'object').map((/** @type {any} */ via) => `${via.title} (${via.url ?? via.source})`);
    const through = (v.via ?? []).filter((/** @type {any} */ via) => typeof via === 'string');
    findings.push(`${name} ${v.range} — ${v.severity}: ${advisories.length > 0 ? advisories.join('; ') : `through ${through.join(', ')}`}${v.fixAvailable ? ' (fix available)' : ''}`);
  }
  const summary = `${counts.total ?? 0} advisories in production dependencies (critical ${counts.critical ?? 0}, high ${counts.high ?? 0}, moderate ${counts.moderate ?? 0}, low ${counts.low ?? 0})`;
  return { status: findings.length > 0 ? 'failed' : 'passed', summary, findings };
}
