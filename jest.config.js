// Jest on Node 20 cannot require() ESM-only packages (NestJS 12, @nestjs/cqrs 12, jose 6, cookie 2…),
// and Jest's own module system only uses Node's require(esm) from Node 24.9. So @swc/jest compiles
// our TypeScript *and* every ESM-only package in node_modules to CommonJS (with legacy decorators and
// decorator metadata, which Nest's DI needs). The ESM packages are found by scanning package.json
// "type": "module" once per run, so a new ESM-only dependency needs no config change.
const fs = require('node:fs');
const path = require('node:path');

function esmOnlyPackages(root) {
  const found = [];
  const dir = path.join(root, 'node_modules');
  const visit = (name) => {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, name, 'package.json'), 'utf8'));
      if (pkg.type === 'module') found.push(name);
    } catch {
      /* not a package */
    }
  };
  for (const entry of fs.readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const sub of fs.readdirSync(path.join(dir, entry))) visit(`${entry}/${sub}`);
    } else {
      visit(entry);
    }
  }
  return found;
}

// The public test vectors live beside the checkout (`../shared/vectors`) and are never copied into
// the repo. A clone elsewhere has none: its specs that read them are left out, said once, not failed.
const VECTORS_DIR = path.resolve(__dirname, '../shared/vectors');
const VECTOR_SPECS = [
  'libs/integrity/src/canonical-json.spec.ts',
  'libs/integrity/src/merkle/merkle-vectors.spec.ts',
  'libs/integrity/src/note/signed-note.spec.ts',
  'libs/ledger/src/merkle-log/stored-merkle-tree.spec.ts',
];
const vectorsPresent = fs.existsSync(VECTORS_DIR);
if (!vectorsPresent) {
  process.stderr.write(`jest: ${VECTORS_DIR} not found (no ../shared beside this checkout): skipping ${VECTOR_SPECS.join(', ')}\n`);
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(vectorsPresent ? [] : VECTOR_SPECS.map((spec) => `<rootDir>/${escape(spec)}$`))],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: { '^.+\\.(ts|js|mjs)$': ['@swc/jest', swc] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages(__dirname).map(escape).join('|')})/)`],
  moduleNameMapper: { '^@ledgerline/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts' },
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 60000,
  maxWorkers: 2,
};
