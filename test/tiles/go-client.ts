import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Debian's golang-golang-x-mod-dev puts the x/mod sources here, for GOPATH-mode builds (dh-golang's way). */
const DEBIAN_GOCODE = '/usr/share/gocode';
const TLOG_SOURCE = path.join(DEBIAN_GOCODE, 'src/golang.org/x/mod/sumdb/tlog/tile.go');
const CLIENT_SOURCE = path.join(__dirname, 'tlog-client');
const INSTALL_HINT = 'install them with `bash test/tiles/install-packages.sh` as root (.ci/run does)';

/**
 * Builds the Go tlog client from Debian's packages, offline: GOPATH mode (GO111MODULE=off) over
 * /usr/share/gocode, GOPROXY=off, so nothing is downloaded. Throws, naming the packages, when the
 * toolchain or the x/mod sources are missing: the tiles spec must fail then, never skip.
 */
export function buildGoTlogClient(workDir: string): string {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error !== undefined || go.status !== 0) {
    throw new Error(`the tiles spec needs Go (Debian package golang-go), and \`go version\` failed: ${INSTALL_HINT}`);
  }
  if (!existsSync(TLOG_SOURCE)) {
    throw new Error(`the tiles spec needs golang.org/x/mod/sumdb/tlog (Debian package golang-golang-x-mod-dev, ${TLOG_SOURCE} is missing): ${INSTALL_HINT}`);
  }
  const gopath = path.join(workDir, 'gopath');
  mkdirSync(gopath, { recursive: true });
  const binary = path.join(workDir, 'tlog-client');
  execFileSync('go', ['build', '-o', binary, '.'], {
    cwd: CLIENT_SOURCE,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: os.homedir(),
      GOPATH: `${gopath}${path.delimiter}${DEBIAN_GOCODE}`,
      GO111MODULE: 'off',
      GOPROXY: 'off',
      GOFLAGS: '',
      GOTOOLCHAIN: 'local',
      // A build cache of its own beside the binary: no state shared with other builds on the machine.
      GOCACHE: path.join(workDir, 'gocache'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return binary;
}

export interface TlogClientRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built client against a log; `olds` are files holding checkpoint notes saved earlier, and
 * `compareApi` also holds the audit API's consistency proofs to Go's. Asynchronous: the log under test may be served from this very process.
 */
export function runGoTlogClient(binary: string, args: { url: string; vkey: string; olds: string[]; compareApi?: boolean }): Promise<TlogClientRun> {
  const argv = ['-url', args.url, '-vkey', args.vkey, ...(args.compareApi ? ['-compare-api'] : []), ...args.olds.flatMap((file) => ['-old', file])];
  return new Promise((resolve) => {
    execFile(binary, argv, { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ status, stdout, stderr });
    });
  });
}
