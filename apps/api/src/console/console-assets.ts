import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One bundled file of the console, held in memory (they are small and fixed for the life of the process). */
export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The checkout's root: the nearest folder above with a package.json (from dist/apps/api/src/console or from the sources under jest). */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return from;
  }
}

/** Where `npm run build` (scripts/build-console.mjs) writes the console. */
export const CONSOLE_DIST = path.join(projectRoot(__dirname), 'dist/web/console');

/**
 * Reads every bundled file once at start, by its path under the console folder (e.g. `console.js`,
 * `clerk/clerk.browser.js`). Only these names are ever served: a request names a key of this map,
 * never a path on disk. Empty when the console was not built.
 */
export function loadConsoleAssets(dir = CONSOLE_DIST): Map<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  if (!existsSync(dir)) return assets;
  const visit = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const name = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(name);
      else {
        const contentType = CONTENT_TYPES[path.extname(entry.name)];
        if (contentType) assets.set(name, { body: readFileSync(path.join(dir, name)), contentType });
      }
    }
  };
  visit('');
  return assets;
}
