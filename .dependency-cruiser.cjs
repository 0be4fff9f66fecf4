// The layers of docs/architecture.md ("Layers") as rules: an import between the project's folders is
// allowed only when one of the `allowed` rules below names it; anything else fails `npm run lint:deps`
// (and so CI). Packages and Node's own modules are not layers: any folder may import them.
//
// The drawing, the two exceptions and where each kind of code goes: docs/architecture.md, "Layers".

/** Our folders: an import into one of them is checked, anything else (packages, node:) is not. */
const OURS = '^(app|bench|bot|core|db|graphql|jobs|platform|scripts|test|vocabulary)/';
const TESTS = '(^test/|[.]test[.]ts$)';
const INTERFACE = '^platform/platform[.]ts$';

/** from (a path pattern) may import `to` (path patterns, any of them). */
const arrow = (name, comment, from, to, extra = {}) => ({
  comment: `${name}: ${comment}`,
  from: { path: from, pathNot: TESTS },
  to: { path: to, ...extra },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules that import each other, directly or around a ring, cannot be understood (or loaded) one at a time.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  allowedSeverity: 'error',
  allowed: [
    { comment: 'not-ours: Packages and Node modules: any folder may use them.', from: {}, to: { pathNot: OURS } },
    { comment: 'same-folder: A folder imports its own files (platform/ has rules of its own below).', from: { path: '^([^/]+)/', pathNot: '^platform/' }, to: { path: '^$1/' } },
    { comment: 'tests: Tests and their support may import anything.', from: { path: TESTS }, to: {} },
    { comment: 'composition: app/, scripts/ and bench/ put the parts together.', from: { path: '^(app|scripts|bench)/' }, to: {} },

    arrow('db', 'The store knows the vocabulary only.', '^db/', '^vocabulary/'),
    arrow('platform-interface', 'The platform interface speaks the vocabulary only.', INTERFACE, '^vocabulary/'),
    {
      comment: 'platform-drivers: A driver implements the interface, in its own folder, and may keep its own tables and credentials in db/.',
      from: { path: '^platform/([^/]+)/', pathNot: TESTS },
      to: { path: ['^vocabulary/', INTERFACE, '^db/', '^platform/$1/'] },
    },
    arrow('core', 'The rules use the vocabulary, the store and the platform interface (never a driver).', '^core/', ['^vocabulary/', '^db/', INTERFACE]),
    arrow('graphql', 'The API goes through the rules.', '^graphql/', ['^core/', '^vocabulary/']),
    arrow('graphql-drizzle-plugin', "Exception: Pothos' drizzle plugin builds the API's types and queries from the tables and relations.", '^graphql/', '^db/(schema|relations)[.]ts$'),
    arrow('graphql-types', 'The API holds the database handle and the platform it hands to core, by type only.', '^graphql/', ['^db/client[.]ts$', INTERFACE], {
      dependencyTypes: ['type-only'],
    }),
    arrow('jobs', 'Jobs schedule, claim, call the platform and write what core decided.', '^jobs/', ['^core/', '^vocabulary/']),
    arrow('jobs-claims', 'Jobs claim rows with a lease and write them back through the stores.', '^jobs/', '^db/(client|schema|portal-store|domain-store|lease-owner)[.]ts$'),
    arrow('jobs-platform', 'Jobs call the platform through its interface, handed to them by type.', '^jobs/', INTERFACE, { dependencyTypes: ['type-only'] }),
    arrow('bot', 'Slack speaks to the GraphQL API (bot/gql, the in-process server) and the vocabulary.', '^bot/', ['^graphql/yoga[.]ts$', '^vocabulary/']),
    arrow(
      'bot-outbox-reader',
      'Exception: Slack delivery (bot/delivery/) reads the outbox and records what it delivered.',
      '^bot/delivery/',
      '^db/(delivery-store|lease-owner|client|schema)[.]ts$',
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|tmp|[.]test-dist)/|^bot/gql/' },
    // Type-only imports are dependencies too: a layer must not lean on another's types either.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
