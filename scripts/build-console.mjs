// `npm run build`, after `nest build`: type-checks and bundles the compliance console (web/console) into
// dist/web/console, which the API serves at /console. Everything the page loads is here: no CDN, and
// nothing is fetched at build time beyond the npm packages already installed.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'web/console/src');
const out = path.join(root, 'dist/web/console');
const shims = path.join(source, 'verify/browser-node');

execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'web/console/tsconfig.json')], { stdio: 'inherit' });

/** libs/integrity imports node:crypto (and, for key files the console never reads, node:fs and node:path). */
const browserNode = {
  name: 'browser-node',
  setup(build) {
    build.onResolve({ filter: /^node:crypto$/ }, () => ({ path: path.join(shims, 'node-crypto.ts') }));
    build.onResolve({ filter: /^node:(fs|path)$/ }, () => ({ path: path.join(shims, 'unavailable.ts') }));
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'clerk'), { recursive: true });
await esbuild.build({
  absWorkingDir: root,
  entryPoints: { console: path.join(source, 'main.ts'), 'verify-worker': path.join(source, 'verify/verify.worker.ts') },
  outdir: out,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome120', 'firefox128', 'safari17'],
  minify: true,
  sourcemap: 'linked',
  tsconfig: path.join(root, 'web/console/tsconfig.json'),
  inject: [path.join(shims, 'buffer.ts')],
  plugins: [browserNode],
  logLevel: 'warning',
  legalComments: 'linked',
});
for (const file of ['index.html', 'console.css', 'favicon.svg']) cpSync(path.join(source, file), path.join(out, file));

// Clerk's own browser SDK (AUTH_MODE=clerk), copied from the npm package with the chunks it loads beside it.
const clerkDist = path.join(root, 'node_modules/@clerk/clerk-js/dist');
for (const file of readdirSync(clerkDist).filter((name) => /(^|_)clerk\.browser(_[a-z0-9]+_[\d.]+)?\.js$/.test(name))) {
  cpSync(path.join(clerkDist, file), path.join(out, 'clerk', file));
}
