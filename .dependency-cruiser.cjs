/**
 * Who may import whom, checked on every lint (`tools/architecture`).
 * Dependencies point one way: services use packages, packages never use
 * services or tools, services never use each other, and contracts (the
 * shapes everyone shares) use nothing of ours. Workspace imports resolve
 * through node_modules to the real folders, so the rules speak of folders.
 */
module.exports = {
  forbidden: [
    {
      name: 'package-imports-service-or-tool',
      comment:
        'A package is shared code: it never reaches into a service, a tool, a test suite or the launcher.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(services|tools|tests|infra)/' },
    },
    {
      name: 'tool-imports-service',
      comment:
        'Tools drive services over their protocols (Socket.IO, HTTP, Kafka, the database), never through their code.',
      severity: 'error',
      from: { path: '^tools/' },
      to: { path: '^services/' },
    },
    {
      name: 'service-imports-another-service',
      comment: 'Services talk over Kafka and HTTP; what two services share is a package.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'contracts-import-ours',
      comment: 'Contracts are the shapes every part shares, so they depend on nothing of ours.',
      severity: 'error',
      from: { path: '^packages/contracts/', pathNot: '(\\.test\\.ts|vitest\\.config\\.ts)$' },
      to: { path: '^(packages|services|tools|tests|infra)/', pathNot: '^packages/contracts/' },
    },
    {
      name: 'no-circular',
      comment:
        'A runtime cycle between modules means two of them are one concern or the boundary is wrong (type-only imports erase at build).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.reports|\\.local|\\.turbo)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    preserveSymlinks: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
    },
  },
};
