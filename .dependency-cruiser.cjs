/**
 * The import rules both packages keep, checked by `npm run check:cycles` (dependency-cruiser,
 * which needs Node 22; `npm test` (scripts/test.mjs) runs it there). TypeScript 7 has no compiler API yet, so sources
 * are parsed with swc; type-only imports count too (tsPreCompilationDeps).
 */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import cycles, type-only ones included.', from: {}, to: { circular: true } },
    {
      name: 'runtime-stays-runtime',
      severity: 'error',
      comment: 'The runtime never imports the generator.',
      from: { path: '^runtime/' },
      to: { path: '^codegen/' },
    },
    {
      name: 'generator-through-entry-points',
      severity: 'error',
      comment: 'The generator reaches the runtime only through its package entry points (schemantic/internal), never by relative path.',
      from: { path: '^codegen/' },
      to: { path: '^runtime/', pathNot: '^runtime/internal\\.ts$' },
    },
    {
      name: 'cli-on-top',
      severity: 'error',
      comment: 'Arrows point one way: cli -> targets/diff -> compiler.',
      from: { path: '^codegen/(compiler|targets|diff)/' },
      to: { path: '^codegen/cli/' },
    },
    {
      name: 'compiler-below-targets',
      severity: 'error',
      comment: 'The front end knows no back end.',
      from: { path: '^codegen/compiler/' },
      to: { path: '^codegen/(targets|diff)/' },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    doNotFollow: { path: 'node_modules' },
  },
};
