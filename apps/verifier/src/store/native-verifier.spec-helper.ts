import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NativeVerifier } from './native-verifier';

/** Where `npm run build` puts the C module (specs run from the TypeScript sources, not from dist). */
const BUILT = path.resolve(__dirname, '../../../../dist/apps/verifier/native');

/**
 * The C module `npm run build` compiled, or undefined when the build said why it could not (no C
 * compiler, no headers: its note). Throws when there is neither, so a broken build is not a silent skip.
 */
export function builtNativeVerifier(): NativeVerifier | undefined {
  if (fs.existsSync(path.join(BUILT, 'verifier-native.node'))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a Node-API module loads only through require
    return require('../../../../dist/apps/verifier/native/verifier-native.node') as NativeVerifier;
  }
  const note = path.join(BUILT, 'not-built.txt');
  if (!fs.existsSync(note)) throw new Error(`${BUILT}/verifier-native.node is missing and no note says why: run npm run build`);
  process.stderr.write(`C module not built (${fs.readFileSync(note, 'utf8').trim()}): its specs are skipped\n`);
  return undefined;
}
