// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', '*.config.js', '.dependency-cruiser.cjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through @ledgerline/config.' }],
      'no-eval': 'error',
      'no-new-func': 'error',
      // SQLite plans with a bare LIMIT parameter's value, so each new binding recompiles the statement
      // (read-db.port.ts): a LIMIT parameter is written LIMIT CAST(? AS INTEGER).
      'no-restricted-syntax': [
        'error',
        { selector: 'Literal[value=/LIMIT\\s+(\\?|\\$\\d)/i]', message: 'Write LIMIT CAST(? AS INTEGER): SQLite recompiles a statement with a bare LIMIT parameter each time it is bound.' },
        { selector: 'TemplateElement[value.raw=/LIMIT\\s+(\\?|\\$\\d|$)/i]', message: 'Write LIMIT CAST(… AS INTEGER): SQLite recompiles a statement with a bare LIMIT parameter each time it is bound.' },
      ],
    },
  },
  {
    // The config loader is the one place that reads the environment; tests and benches set up child processes.
    files: ['libs/config/src/load-config.ts', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['libs/domain/**/*.ts', 'libs/integrity/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@nestjs/*'], message: 'libs/domain and libs/integrity stay framework-free (the verifier reuses them).' }] }],
    },
  },
);
