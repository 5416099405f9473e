/**
 * Conformance: the required tests of the official JSON Schema Test Suite (draft 2020-12 and
 * draft-07), run through the validator emitter the generator uses: each group's schema becomes
 * Ajv standalone ESM code with its require() calls rewritten, written to disk and imported.
 * Draft-07 schemas go through the same draft-07 -> 2020-12 normalisation as definitions do.
 *
 * Known failures are listed below with their reason, by file, group or single test. A listed
 * test still runs: it counts as passed when it passes, and as skipped (with its reason) only when
 * it fails; a listed entry under which nothing fails is stale and fails the suite. The pass count
 * is printed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeDraft07 } from '../../codegen/compiler/schema/draft07.js';
import { compileValidators } from '../../codegen/targets/typescript/ajv-module.js';

const suite = path.join(path.dirname(new URL(import.meta.url).pathname), 'conformance', 'json-schema-test-suite');

/**
 * Known failures, by `file`, `file: group description` or `file: group description / test
 * description`, with the reason. Tests not covered by an entry must pass.
 */
const SKIPS: Record<string, Record<string, string>> = {
  'draft2020-12': {
    'default.json: invalid type for default':
      'defaults are applied by design (useDefaults): a missing property gets its default before validation, so an invalid default is reported',
    'default.json: invalid string value for default':
      'defaults are applied by design (useDefaults): a missing property gets its default before validation, so an invalid default is reported',
    'default.json: the default keyword does not do anything if the property is missing':
      'defaults are applied by design (useDefaults): a missing property gets its default before validation, so an invalid default is reported',
    'format.json': 'formats are asserted by design (ajv-formats); the suite expects annotation only',
    'ref.json: refs with relative uris and defs': 'Ajv overflows its stack resolving these relative $ids',
    'ref.json: relative refs with absolute uris and defs': 'Ajv overflows its stack resolving these relative $ids',
    'refRemote.json': 'remote $refs are not supported by design: definitions $ref files by path',
    'vocabulary.json': 'custom vocabularies ($vocabulary) are not supported',
    'dynamicRef.json': 'Ajv supports only part of $dynamicRef; definitions reject $dynamicRef',
    'defs.json': 'validates schemas against the meta-schema, which generated validators do not embed',
    'ref.json: remote ref, containing refs itself': 'needs the 2020-12 meta-schema (a remote $ref)',
    'unevaluatedItems.json: unevaluatedItems depends on adjacent contains': 'known Ajv gap with contains',
    'unevaluatedItems.json: unevaluatedItems depends on multiple nested contains': 'known Ajv gap with contains',
    'unevaluatedItems.json: unevaluatedItems and contains interact to control item dependency relationship': 'known Ajv gap with contains',
    'unevaluatedItems.json: unevaluatedItems with $dynamicRef': '$dynamicRef',
    'unevaluatedProperties.json: unevaluatedProperties with $dynamicRef': '$dynamicRef',
    'unevaluatedProperties.json: unevaluatedProperties can see annotations from if without then and else': 'known Ajv gap',
    'enum.json: empty enum': 'Ajv rejects an empty enum as an invalid schema',
    'properties.json: properties whose names are Javascript object property names':
      'Ajv skips __proto__ properties; the generator reports a property named __proto__ as a problem',
    'ref.json: URN ref with nested pointer ref': 'Ajv overflows its stack compiling this schema',
    'unevaluatedItems.json: unevaluatedItems with nested items': 'known Ajv gap',
    'unevaluatedItems.json: unevaluatedItems with minContains = 0': 'known Ajv gap with contains',
    'unevaluatedItems.json: unevaluatedItems can see annotations from if without then and else': 'known Ajv gap',
    'unevaluatedProperties.json: unevaluatedProperties with if/then/else, then not defined': 'known Ajv gap',
  },
  draft7: {
    'default.json: invalid type for default':
      'defaults are applied by design (useDefaults): a missing property gets its default before validation, so an invalid default is reported',
    'default.json: invalid string value for default':
      'defaults are applied by design (useDefaults): a missing property gets its default before validation, so an invalid default is reported',
    'default.json: the default keyword does not do anything if the property is missing':
      'defaults are applied by design (useDefaults): a missing property gets its default before validation, so an invalid default is reported',
    'refRemote.json': 'remote $refs are not supported by design: definitions $ref files by path',
    'definitions.json': 'validates schemas against the meta-schema, which generated validators do not embed',
    'ref.json: remote ref, containing refs itself': 'needs the draft-07 meta-schema (a remote $ref)',
    'ref.json: relative pointer ref to array':
      'normalisation renames tuple items to prefixItems, so a raw pointer into them breaks (definitions resolve $refs before normalising)',
    'properties.json: properties whose names are Javascript object property names':
      'Ajv skips __proto__ properties; the generator reports a property named __proto__ as a problem',
  },
};

interface Group {
  description: string;
  schema: unknown;
  tests: { description: string; data: unknown; valid: boolean }[];
}

const counts = { passed: 0, failed: 0, skipped: 0 };
const temp = await mkdtemp(path.join(os.tmpdir(), 'schemantic-conformance-'));
afterAll(async () => {
  // eslint-disable-next-line no-console
  console.log(`JSON Schema Test Suite (required, draft 2020-12 + draft-07): ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  await rm(temp, { recursive: true, force: true });
});

const usedSkips = new Set<string>();
/** The reason a test may fail (the most specific entry covering it), marking that entry used. */
function knownFailure(draft: string, file: string, group: string, test?: string): string | undefined {
  const keys = [...(test !== undefined ? [`${file}: ${group} / ${test}`] : []), `${file}: ${group}`, file];
  for (const key of keys) {
    if (SKIPS[draft]![key] !== undefined) {
      usedSkips.add(`${draft}/${key}`);
      return SKIPS[draft]![key];
    }
  }
  return undefined;
}

for (const draft of ['draft2020-12', 'draft7'] as const) {
  describe(draft, () => {
    const files = readdirSync(path.join(suite, 'tests', draft))
      .filter((f) => f.endsWith('.json'))
      .sort();
    it.each(files)('%s', async (file) => {
      const groups = JSON.parse(readFileSync(path.join(suite, 'tests', draft, file), 'utf8')) as Group[];
      const failures: string[] = [];
      for (const [i, group] of groups.entries()) {
        const schema = draft === 'draft7' ? normalizeDraft07(group.schema) : group.schema;
        let compiled;
        try {
          compiled = compileValidators([{ exportName: 'validate', schema }]);
        } catch (err) {
          compiled = { ok: false as const, exportName: 'validate', message: (err as Error).message };
        }
        if (!compiled.ok) {
          if (knownFailure(draft, file, group.description)) counts.skipped += group.tests.length;
          else {
            failures.push(`${group.description}: does not compile: ${compiled.message}`);
            counts.failed += group.tests.length;
          }
          continue;
        }
        const module = path.join(temp, `${draft}-${file}-${i}.js`);
        const imports = compiled.imports.length ? `import { ${compiled.imports.join(', ')} } from "schemantic/validators";\n` : '';
        await writeFile(module, imports + compiled.code);
        const { validate } = await import(module);
        for (const test of group.tests) {
          let got: unknown;
          try {
            got = validate(test.data);
          } catch (err) {
            got = `an error: ${(err as Error).message}`;
          }
          if (got === test.valid) counts.passed++;
          else if (knownFailure(draft, file, group.description, test.description)) counts.skipped++;
          else {
            counts.failed++;
            failures.push(`${group.description} / ${test.description}: expected ${test.valid}, got ${String(got)}`);
          }
        }
      }
      expect(failures).toEqual([]);
    });
  });
}

it('lists only known failures that still fail (no stale entry)', () => {
  const listed = Object.entries(SKIPS).flatMap(([draft, skips]) => Object.keys(skips).map((k) => `${draft}/${k}`));
  expect(listed.filter((k) => !usedSkips.has(k))).toEqual([]);
});
