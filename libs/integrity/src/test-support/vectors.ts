import * as path from 'node:path';

/** The shared public test vectors: `<repoRoot>/../shared/vectors` (never copied into the repo). */
export const VECTORS_DIR = path.resolve(__dirname, '../../../../../shared/vectors');
