// @ts-check
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** @typedef {{ path: string, line: number, rule: string, preview: string, fingerprint: string }} SecretFinding */
/** @typedef {{ path: string, rule: string, fingerprint?: string, reason: string }} AllowEntry */

const MAX_BYTES = 2 * 1024 * 1024;

/**
 * What a committed secret looks like. Each pattern is written so that its own source text does not
 * match it (this file is scanned too).
 * @type {{ rule: string, pattern: RegExp, secret?: (match: RegExpExecArray) => string }[]}
 */
const RULES = [
  { rule: 'private-key', pattern: /-----BEGIN ((?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/g },
  { rule: 'stripe-live-key', pattern: /\b[rs]k_live_[0-9A-Za-z]{16,}/g },
  { rule: 'stripe-test-key', pattern: /\b[rs]k_test_[0-9A-Za-z]{24,}/g },
  { rule: 'stripe-webhook-secret', pattern: /\bwhsec_[0-9A-Za-z+/=]{24,}/g },
  { rule: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b/g },
  { rule: 'aws-secret-access-key', pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})\b/gi, secret: (m) => m[1] },
  { rule: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})/g },
  { rule: 'slack-token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g },
  { rule: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { rule: 'private-jwk', pattern: /"d"\s*:\s*"([A-Za-z0-9_-]{40,})"/g, secret: (m) => m[1] },
  {
    rule: 'high-entropy-assignment',
    pattern:
      /\b[A-Za-z0-9_.-]*(?:secret|password|passwd|token|api[_-]?key|private[_-]?key|master[_-]?key|access[_-]?key|signing[_-]?key)["']?\s*[:=]\s*["'`]([^"'`\s]{20,})["'`]/gi,
    secret: (m) => m[1],
  },
];

/** Shannon entropy in bits per character. */
function entropy(/** @type {string} */ text) {
  const counts = new Map();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/** A value that reads like a generated credential rather than a placeholder, a reference or prose. */
function looksGenerated(/** @type {string} */ value) {
  if (/\$\{|\{\{|<[a-z_-]+>|example|changeme|change-me|placeholder|dummy|redacted|x{6,}|\*{4,}/i.test(value)) return false;
  if (/^[a-z]+(?:[-_.][a-z]+)+$/i.test(value)) return false; // kebab/snake words: names, not keys
  return entropy(value) >= 3.7 && /[0-9]/.test(value) && /[A-Za-z]/.test(value);
}

export function fingerprint(/** @type {string} */ secret) {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}

function globToRegExp(/** @type {string} */ glob) {
  const source = glob
    .split('**')
    .map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${source}$`);
}

/** Loads the allowlist (JSON: {"entries": [{path, rule, fingerprint?, reason}]}); every entry needs a reason. */
export function loadAllowlist(/** @type {string} */ file) {
  /** @type {{ entries?: AllowEntry[] }} */
  const parsed = JSON.parse(readFileSync(file, 'utf8'));
  const entries = parsed.entries ?? [];
  for (const entry of entries) {
    if (!entry.path || !entry.rule || !entry.reason) throw new Error(`${file}: every entry needs path, rule and reason`);
  }
  return entries.map((entry) => ({ ...entry, matcher: globToRegExp(entry.path) }));
}

/**
 * Scans every file git tracks under `root` for committed secrets and private keys. Findings never
 * carry the secret: only a short preview, and a fingerprint (SHA-256 prefix) the allowlist can name.
 * @returns {{ scanned: number, findings: SecretFinding[], allowed: number }}
 */
export function scanTrackedFiles(/** @type {string} */ root, /** @type {ReturnType<typeof loadAllowlist>} */ allowlist) {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0')
    .filter((f) => f !== '');
  /** @type {SecretFinding[]} */
  const findings = [];
  let scanned = 0;
  let allowed = 0;
  for (const file of files) {
    const full = path.join(root, file);
    let buffer;
    try {
      if (!statSync(full).isFile() || statSync(full).size > MAX_BYTES) continue;
      buffer = readFileSync(full);
    } catch {
      continue; // deleted in the work tree
    }
    if (buffer.subarray(0, 8000).includes(0)) continue; // binary
    scanned += 1;
    const text = buffer.toString('utf8');
    for (const { rule, pattern, secret } of RULES) {
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        const value = secret ? secret(match) : match[0];
        if (rule === 'high-entropy-assignment' && !looksGenerated(value)) continue;
        const print = fingerprint(value);
        if (allowlist.some((a) => a.rule === rule && a.matcher.test(file) && (a.fingerprint === undefined || a.fingerprint === print))) {
          allowed += 1;
          continue;
        }
        const line = text.slice(0, match.index).split('\n').length;
        findings.push({ path: file, line, rule, preview: `${value.slice(0, 12)}…`, fingerprint: print });
      }
    }
  }
  return { scanned, findings, allowed };
}
