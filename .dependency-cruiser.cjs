/**
 * Rung's layering, checked by `npm run lint:layers` (part of `npm test`).
 *
 * Each folder of src/ imports only folders below it; type-only imports count
 * (`tsPreCompilationDeps`), because they are coupling too. See src/README.md.
 *
 *   cli/          the `rung` command                         ─┐
 *   example/      an application, through the public entry    │ imports only
 *   index.ts      the public entry                            │ what is below
 *   declaration/  APIs declared in a YAML or JSON file        │
 *   server/       assembly: handlers, responder, caches, app  │
 *   openapi/      OpenAPI 3.1: generated, and imported        │
 *   formats/      serialisations of representations           │
 *   hypermedia/   representations: items, collections, docs   │
 *   resources/    resource types: definitions, terms, input   │
 *   audit/        `rung audit`: maturity of any live API       │
 *   crawl/        `rung crawl`: a hypermedia client            │
 *   http/ store/  protocol primitives │ persistence (no Rung imports)
 *
 * crawl/ and audit/ are HTTP clients: they need nothing of the server, and
 * the server may use their model of the levels (audit/maturity.ts).
 */
const LAYERS = [
  ['http', ['http']],
  ['store', ['store']],
  ['crawl', ['http', 'crawl']],
  ['audit', ['http', 'crawl', 'audit']],
  ['resources', ['http', 'store', 'resources']],
  ['hypermedia', ['http', 'store', 'resources', 'hypermedia']],
  ['formats', ['http', 'store', 'resources', 'hypermedia', 'formats']],
  // Beside formats/, not above it: what it needs of the format registry (media types) is passed in.
  ['openapi', ['http', 'store', 'resources', 'hypermedia', 'openapi']],
  ['server', ['http', 'store', 'crawl', 'audit', 'resources', 'hypermedia', 'formats', 'openapi', 'server']],
  ['declaration', ['http', 'store', 'crawl', 'audit', 'resources', 'hypermedia', 'formats', 'openapi', 'server', 'declaration']],
];

const folder = (name) => `^src/${name}/`;
const anyOf = (names) => `^src/(${names.join('|')})/`;

module.exports = {
  forbidden: [
    ...LAYERS.map(([layer, allowed]) => ({
      name: `${layer}-imports-downwards`,
      comment: `src/${layer}/ may import only ${allowed.map((a) => `src/${a}/`).join(', ')}`,
      severity: 'error',
      from: { path: folder(layer) },
      to: { path: '^src/', pathNot: anyOf(allowed) },
    })),
    {
      name: 'entry-imports-downwards',
      comment: 'src/index.ts (the public entry) may not import the example or the CLI',
      severity: 'error',
      from: { path: '^src/index\\.ts$' },
      to: { path: '^src/(example|cli)/' },
    },
    {
      name: 'example-uses-the-public-entry',
      comment: 'src/example/ is an application of Rung: it imports src/index.ts only, like a user',
      severity: 'error',
      from: { path: folder('example') },
      to: { path: '^src/', pathNot: ['^src/index\\.ts$', folder('example')] },
    },
    {
      name: 'cli-above-everything',
      comment: 'src/cli/ may import the entry, the example and itself, not internals',
      severity: 'error',
      from: { path: folder('cli') },
      to: { path: '^src/', pathNot: ['^src/index\\.ts$', folder('example'), folder('cli')] },
    },
    {
      // Between folders the layer rules above already forbid every cycle, types
      // included. Inside a folder, types may refer to each other (a definition
      // names its custom handlers' type, whose request names the compiled
      // resource), but no module may need itself at run time.
      name: 'no-runtime-cycle',
      comment: 'No module imports itself at run time through others',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'src-does-not-import-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|docs)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
