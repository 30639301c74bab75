/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload for `node -r`, not compiled */
// Preloaded (`node -r`) into the API under test, on every thread: when a thread exits it writes the
// npm packages it has loaded to LOADED_PACKAGES_DIR/thread-<id>.json.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { threadId } = require('node:worker_threads');

process.on('exit', () => {
  const packages = new Set();
  for (const file of Object.keys(require.cache)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
    if (match) packages.add(match[1]);
  }
  writeFileSync(join(process.env.LOADED_PACKAGES_DIR, `thread-${threadId}.json`), JSON.stringify([...packages]));
});
