/**
 * The import rules of the code base, checked by `npm run lint` (dependency-cruiser). Each rule says
 * why it exists; test/lint/lint-rules.test.ts plants a violation of each and expects it to fail.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle means two modules are one concept split in two, or a shared piece is missing: extract it.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-is-a-leaf',
      severity: 'error',
      comment: 'platform/ is what the gateway, the subgraphs and the simulators share: it knows none of them.',
      from: { path: '^platform/' },
      to: { path: '^(gateway|subgraphs|simulators|scripts|test|bench)/' },
    },
    {
      name: 'gateway-imports-no-subgraph',
      severity: 'error',
      comment: 'The gateway is deployed on its own and talks to subgraphs over HTTP only: shared code goes to platform/.',
      from: { path: '^gateway/' },
      to: { path: '^(subgraphs|simulators)/' },
    },
    {
      name: 'subgraphs-are-separate',
      severity: 'error',
      comment: 'A subgraph reaches another only through its ports (HTTP), never its code: each is built and deployed alone.',
      from: { path: '^subgraphs/(agents|cases|carriers)/' },
      to: { path: '^subgraphs/', pathNot: ['^subgraphs/$1/', '^subgraphs/shared/'] },
    },
    {
      name: 'shared-knows-no-subgraph',
      severity: 'error',
      comment: 'subgraphs/shared/ is used by every subgraph, so it may not depend on any one of them.',
      from: { path: '^subgraphs/shared/' },
      to: { path: '^subgraphs/(agents|cases|carriers)/' },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'Domain rules are plain functions: no adapter, resolver, loader, repository, database or framework code (money and dates from platform/, the shared vocabulary, the application and the application-rules shapes are plain too).',
      from: { path: '^(subgraphs/[^/]+)/domain/', pathNot: '/__tests__/' },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: ['^$1/domain/', '^platform/(money|dates)\\.ts$', '^subgraphs/shared/(vocabulary|application|application-rules)\\.ts$'],
      },
    },
    {
      name: 'fixtures-are-data-only',
      severity: 'error',
      comment: 'Demo carriers are seed, simulator and test data: the product reads its carriers from configuration and the catalog.',
      from: { pathNot: ['^(scripts/seed|simulators|test|bench)/', '/__tests__/', '/fixtures/'] },
      to: { path: '/fixtures/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['cjs', 'es6'],
  },
};
