/**
 * Conformance: the required tests of the official JSON Schema Test Suite (draft 2020-12 and
 * draft-07), run through the validator emitter the generator uses: each group's schema becomes
 * Ajv standalone ESM code with its require() calls rewritten, written to disk and imported.
 * Draft-07 schemas go through the same draft-07 -> 2020-12 normalisation as definitions do.
 *
 * What is skipped, and why, is listed below; the pass count is printed.
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
 * Skipped groups, by `file: group description` (or a whole file), with the reason. Groups not
 * listed must pass every test.
 */
const SKIPS: Record<string, Record<string, string>> = {
  'draft2020-12': {
    'format.json': 'formats are asserted by design (ajv-formats); the suite expects annotation only',
    'refRemote.json': 'remote $refs are not supported by design: definitions $ref files by path',
    'vocabulary.json': 'custom vocabularies ($vocabulary) are not supported',
    'dynamicRef.json': 'Ajv supports only part of $dynamicRef; definitions reject $dynamicRef',
    'defs.json': 'validates schemas against the meta-schema, which generated validators do not embed',
    'ref.json: remote ref, containing refs itself': 'needs the 2020-12 meta-schema (a remote $ref)',
    'ref.json: refs with relative uris and defs': 'relative $id resolution Ajv does not follow',
    'ref.json: relative refs with absolute uris and defs': 'relative $id resolution Ajv does not follow',
    'ref.json: ref creates new scope when adjacent to keywords': 'needs remote refs',
    'unevaluatedItems.json: unevaluatedItems depends on adjacent contains': 'known Ajv gap with contains',
    'unevaluatedItems.json: unevaluatedItems depends on multiple nested contains': 'known Ajv gap with contains',
    'unevaluatedItems.json: unevaluatedItems and contains interact to control item dependency relationship': 'known Ajv gap with contains',
    'unevaluatedItems.json: unevaluatedItems with $dynamicRef': '$dynamicRef',
    'unevaluatedProperties.json: unevaluatedProperties with $dynamicRef': '$dynamicRef',
    'unevaluatedProperties.json: unevaluatedProperties can see annotations from if without then and else': 'known Ajv gap',
    'anchor.json: same $anchor with different base uri': 'Ajv rejects this schema',
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
    'format.json': 'formats are asserted by design (ajv-formats); the suite expects annotation only',
    'refRemote.json': 'remote $refs are not supported by design: definitions $ref files by path',
    'definitions.json': 'validates schemas against the meta-schema, which generated validators do not embed',
    'ref.json: remote ref, containing refs itself': 'needs the draft-07 meta-schema (a remote $ref)',
    'ref.json: $ref prevents a sibling $id from changing the base uri': 'normalising to 2020-12 keeps $ref siblings semantics apart from $id',
    'ref.json: Location-independent identifier with base URI change in subschema': 'relative $id resolution Ajv does not follow',
    'ref.json: refs with relative uris and defs': 'relative $id resolution Ajv does not follow',
    'ref.json: relative refs with absolute uris and defs': 'relative $id resolution Ajv does not follow',
    'ref.json: $ref to boolean schema false': 'normalisation keeps $ref siblings only as annotations',
    'ref.json: $ref to boolean schema true': 'normalisation keeps $ref siblings only as annotations',
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
function skipReason(draft: string, file: string, group: string): string | undefined {
  for (const key of [file, `${file}: ${group}`]) {
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
        if (skipReason(draft, file, group.description)) {
          counts.skipped += group.tests.length;
          continue;
        }
        const schema = draft === 'draft7' ? normalizeDraft07(group.schema) : group.schema;
        let compiled;
        try {
          compiled = compileValidators([{ exportName: 'validate', schema }]);
        } catch (err) {
          compiled = { ok: false as const, exportName: 'validate', message: (err as Error).message };
        }
        if (!compiled.ok) {
          failures.push(`${group.description}: does not compile: ${compiled.message}`);
          counts.failed += group.tests.length;
          continue;
        }
        const module = path.join(temp, `${draft}-${file}-${i}.js`);
        const imports = compiled.imports.length ? `import { ${compiled.imports.join(', ')} } from "schemantic/validators";\n` : '';
        await writeFile(module, imports + compiled.code);
        const { validate } = await import(module);
        for (const test of group.tests) {
          const got = validate(test.data);
          if (got === test.valid) counts.passed++;
          else {
            counts.failed++;
            failures.push(`${group.description} / ${test.description}: expected ${test.valid}, got ${got}`);
          }
        }
      }
      expect(failures).toEqual([]);
    });
  });
}

it('names only files and groups that exist in its skip list', () => {
  const listed = Object.entries(SKIPS).flatMap(([draft, skips]) => Object.keys(skips).map((k) => `${draft}/${k}`));
  expect(listed.filter((k) => !usedSkips.has(k))).toEqual([]);
});
