/** Layer rules from ARCHITECTURE.md, checked on every `npm test`: what may not import what, and why. */
const rules = [
  {
    name: 'domain-is-pure',
    comment:
      'domain/ holds pure business logic: it imports only domain/ (no node: modules, no packages) and zod, ' +
      'with which each event type declares its stored shape beside its type (issue 15: events are checked before they are folded).',
    from: { path: '^domain/' },
    to: { pathNot: ['^domain/', 'node_modules/zod/'] },
  },
  {
    name: 'only-the-event-store-touches-drivers',
    comment:
      "Only eventStore/ may import SQLite or the EventStoreDB client (the protocol test server may use the client's generated gRPC modules).",
    from: { pathNot: ['^eventStore/', '^test/support/esdbTestServer/'] },
    to: { path: ['node_modules/better-sqlite3/', 'node_modules/@eventstore/db-client/', 'node_modules/@grpc/'] },
  },
  {
    name: 'resolvers-are-thin',
    comment: 'resolvers/ turn arguments into one call on the context: they import only their generated types, each other and graphql.',
    from: { path: '^resolvers/' },
    to: { pathNot: ['^resolvers/', '^application/context\\.ts$', 'node_modules/graphql/'] },
  },
  {
    name: 'projections-read-events-only',
    comment: 'projections/ depend on domain event types and the event-store port, never on adapters or upper layers.',
    from: { path: '^projections/', pathNot: '\\.spec\\.ts$' },
    to: { path: ['^eventStore/(?!port\\.ts$)', '^application/', '^resolvers/', '^server/'] },
  },
  {
    name: 'application-below-transport',
    comment: 'application/ knows nothing of GraphQL transport or the composition root.',
    from: { path: '^application/' },
    to: { path: ['^resolvers/', '^server/', 'node_modules/graphql'] },
  },
  {
    name: 'only-the-composition-root-configures-tracing',
    comment:
      'The OpenTelemetry SDK (provider, processors, exporters, resources) is set up in server/ only (server/tracing.ts); ' +
      'application/ makes its spans with @opentelemetry/api alone, so it works, as a no-op, with no SDK at all.',
    from: { pathNot: ['^server/', '^test/', '^bench/'] },
    to: { path: ['node_modules/@opentelemetry/(?!api/)', 'node_modules/@envelop/opentelemetry/'] },
  },
  {
    name: 'no-circular',
    from: {},
    to: { circular: true },
  },
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  // Every rule fails the check.
  forbidden: rules.map((rule) => ({ ...rule, severity: 'error' })),
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['__generated__', '^dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'] },
  },
};
