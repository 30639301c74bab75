// @ts-check
// Security lint for `npm run audit:security` over apps/ and libs/ (production code). Core ESLint rules
// only (eslint-plugin-security is not a dependency); run with --no-inline-config, so a finding is
// fixed or excepted here, in review, never silenced in place.
import tseslint from 'typescript-eslint';

const childProcessShell = 'Shell commands built from strings are command injection: use execFile/spawn with an argument array.';

export default [
  { ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'dist/**', 'node_modules/**'] },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-script-url': 'error',
      'no-proto': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'child_process', importNames: ['exec', 'execSync'], message: childProcessShell },
            { name: 'node:child_process', importNames: ['exec', 'execSync'], message: childProcessShell },
            { name: 'vm', message: 'node:vm is not a sandbox.' },
            { name: 'node:vm', message: 'node:vm is not a sandbox.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'crypto', property: 'createCipher', message: 'createCipher derives the key without salt and has no IV: use createCipheriv.' },
        { object: 'crypto', property: 'createDecipher', message: 'Use createDecipheriv.' },
        { object: 'crypto', property: 'pseudoRandomBytes', message: 'Use randomBytes.' },
        { object: 'process', property: 'binding', message: 'process.binding reaches Node internals.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name=/^exec(Sync)?$/][arguments.0.type='TemplateLiteral'][arguments.0.expressions.length>0]",
          message: childProcessShell,
        },
        { selector: "CallExpression[callee.name=/^exec(Sync)?$/][arguments.0.type='BinaryExpression']", message: childProcessShell },
        {
          selector: "CallExpression[callee.property.name=/^exec(Sync)?$/][callee.object.name=/^(child_?process|cp|childProcess)$/]",
          message: childProcessShell,
        },
        { selector: "Property[key.name='shell'][value.value=true]", message: 'spawn/execFile with shell: true is exec: pass an argument array without a shell.' },
        { selector: "Property[key.name='rejectUnauthorized'][value.value=false]", message: 'TLS certificate verification must stay on (pass a CA instead).' },
        {
          selector: "AssignmentExpression[left.property.name='NODE_TLS_REJECT_UNAUTHORIZED']",
          message: 'TLS certificate verification must stay on.',
        },
        {
          selector:
            "CallExpression:matches([callee.name=/^create(Hash|Hmac)$/], [callee.property.name=/^create(Hash|Hmac)$/])[arguments.0.value=/^(md4|md5|sha1|ripemd160)$/i]",
          message: 'Weak digest: use SHA-256 or better.',
        },
        {
          selector: "Property[key.name=/^(alg|algorithm|algorithms)$/] Literal[value=/^none$/i]",
          message: 'Unsigned tokens ("alg": "none") must never be accepted.',
        },
        { selector: "NewExpression[callee.name='Buffer']", message: 'new Buffer() is deprecated and unsafe: use Buffer.from/alloc.' },
        { selector: "CallExpression[callee.name='require'][arguments.0.type!='Literal']", message: 'require() of a computed path loads attacker-chosen code.' },
        {
          selector: "NewExpression[callee.name='RegExp'][arguments.0.type!='Literal'][arguments.0.type!='TemplateLiteral']",
          message: 'A RegExp built from a variable risks ReDoS and injection: escape it and bound its input, or use a literal.',
        },
      ],
    },
  },
];
