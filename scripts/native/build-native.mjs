// Builds the verifier's C fast path (apps/verifier/native) into dist, as part of `npm run build`.
// Optional by design: without a C compiler or Node's headers it says so and the verifier uses its
// TypeScript path, which gives the same verdicts (the C code decides only a subset and defers the rest).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sourceDir = path.join(root, 'apps/verifier/native');
const sources = readdirSync(sourceDir).filter((name) => name.endsWith('.c')).sort().map((name) => path.join(sourceDir, name));
const target = path.join(root, 'dist/apps/verifier/native/verifier-native.node');
// Node's own headers (node_api.h and the OpenSSL it is built with) ship beside its binary.
const headers = path.resolve(path.dirname(process.execPath), '..', 'include', 'node');
// Says why the module is missing: the specs that test it skip only when this note exists.
const note = path.join(path.dirname(target), 'not-built.txt');
const compiler = process.env.CC || 'cc';

function skip(why) {
  rmSync(target, { force: true });
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(note, `${why}\n`);
  process.stdout.write(`build-native: not built (${why}); the verifier uses its TypeScript path\n`);
  process.exit(0);
}

if (process.platform === 'win32') skip('no build on Windows');
if (!existsSync(path.join(headers, 'node_api.h')) || !existsSync(path.join(headers, 'openssl', 'sha.h'))) skip(`no Node.js headers in ${headers}`);

// A module or note left from an earlier build must not outlive this one.
rmSync(target, { force: true });
rmSync(note, { force: true });
mkdirSync(path.dirname(target), { recursive: true });
const platformFlags = process.platform === 'darwin' ? ['-bundle', '-undefined', 'dynamic_lookup'] : ['-shared'];
// gnu11: text-scan.c's character table uses GNU range designators (GCC and Clang).
const args = ['-std=gnu11', '-O2', '-fPIC', '-Wall', '-Wextra', '-fvisibility=hidden', ...platformFlags, '-I', headers, '-o', target, ...sources];
const run = spawnSync(compiler, args, { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
if (run.error) skip(`${compiler}: ${run.error.code ?? run.error.message}`);
if (run.status !== 0) {
  process.stderr.write(run.stderr);
  skip(`${compiler} exited with ${run.status}`);
}
if (run.stderr) process.stderr.write(run.stderr);
// A module that does not load here (say, a Node.js without OpenSSL's symbols) is as good as none.
const load = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(target)}).checkStoredEvent.call`], { encoding: 'utf8' });
if (load.status !== 0) skip(`built but does not load: ${load.stderr.trim().split('\n')[0]}`);
