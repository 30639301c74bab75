import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../support/api-process';

export interface RepoCopy {
  dir: string;
  /** Stages a file so `git ls-files` lists it, as a commit would. */
  track(file: string): void;
  remove(): void;
}

/**
 * A temporary copy of the files git tracks in the work tree (their current content), with a git index
 * of its own and the repository's node_modules linked in: findings can be planted without touching
 * the real checkout.
 */
export function copyRepo(): RepoCopy {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-audit-'));
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0')
    .filter((file) => file !== '' && existsSync(path.join(REPO_ROOT, file)) && statSync(path.join(REPO_ROOT, file)).isFile());
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    copyFileSync(path.join(REPO_ROOT, file), path.join(dir, file));
  }
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q');
  git('add', '--', ...files);
  return {
    dir,
    track: (file) => git('add', '--', file),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
