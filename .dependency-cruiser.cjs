/** Keeps the dependency directions of ARCHITECTURE.md honest; runs in CI through `npm run lint`. */
module.exports = {
  forbidden: [
    {
      name: 'pure-libs-no-nest',
      comment: 'libs/domain and libs/integrity import no NestJS, so the verifier reuses them without booting an app.',
      severity: 'error',
      from: { path: '^libs/(domain|integrity)/' },
      to: { path: 'node_modules/@nestjs/' },
    },
    {
      name: 'pure-libs-no-io-libs',
      comment: 'libs/domain and libs/integrity depend on no other Ledgerline lib.',
      severity: 'error',
      from: { path: '^libs/(domain|integrity)/' },
      to: { path: '^libs/(?!domain/|integrity/)' },
    },
    {
      name: 'libs-through-index',
      comment: 'Code outside a lib imports it only through its index.ts (@ledgerline/<lib>).',
      severity: 'error',
      from: { path: '^(apps|test|bench|web)/' },
      to: { path: '^libs/[^/]+/src/(?!index\\.ts$)' },
    },
    {
      name: 'cross-lib-through-index',
      comment: 'One lib imports another only through its index.ts.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/(?!index\\.ts$)', pathNot: '^libs/$1/' },
    },
    {
      name: 'libs-not-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'platform-not-contexts',
      comment:
        'apps/api: the platform parts (store, ledger, projections, http, …) serve the business contexts and import none of them, except the route-access decorator every controller wears and the one registry that lists each context\'s projectors.',
      severity: 'error',
      from: { path: '^apps/api/src/platform/', pathNot: '^apps/api/src/platform/projections/projectors\\.ts$' },
      to: { path: '^apps/api/src/contexts/', pathNot: '^apps/api/src/contexts/access/authorization/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|node_modules)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
