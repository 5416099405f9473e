/**
 * Issue 10, "generated code compiles": every output form README.md documents (a single schema,
 * a named type, a union of named types, a union with a schema written in place, a union with
 * text) generates modules that declare each name once and type-check under strict mode. The
 * forms are the `outputs` fixture (its snapshots are also part of typecheck.test.ts's program).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFrom, problemLines, yaml } from '../helpers/pipeline.js';
import { strictTypeErrors } from './support/strict-tsc.js';

const here = path.dirname(new URL(import.meta.url).pathname);

/** How many times each exported type name is declared in `code`. */
function declarations(code: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of code.matchAll(/^export (?:type|interface) ([A-Za-z_$][\w$]*)/gm)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  return counts;
}

describe('output forms', () => {
  it('an inline object or text (the documented union with string) declares EchoOutput once', async () => {
    const result = await generateFrom({
      'defs.yaml': yaml`
        spec: schemantic/v1
        agents:
          echo:
            model: test
            output:
              - type: object
                properties:
                  text: { type: string }
                required: [text]
              - type: string
      `,
    });
    expect(result.problems).toEqual([]);
    const code = result.files.get('agents/echo.ts')!;
    const counts = declarations(code);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    expect(code).toContain('export interface EchoOutputStructured {');
    expect(code).toContain('export type EchoOutput = EchoOutputStructured | string;');
    // The validators module types its output validator with the member's type.
    expect(result.files.get('validators/agents/echo.d.ts')).toContain('EchoOutputStructured');
  });

  it('a titled inline member or text is named after its title', async () => {
    const result = await generateFrom({
      'defs.yaml': 'spec: schemantic/v1\nagents:\n  echo:\n    output:\n      - { title: Card, type: object }\n      - { type: string }\n',
    });
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.files.get('agents/echo.ts')).toContain('export type EchoOutput = EchoOutputCard | string;');
  });

  it('every documented output form type-checks under strict mode', () => {
    expect(strictTypeErrors([path.join(here, '__snapshots__/outputs')])).toEqual([]);
  });

  it('a member whose name the agent module already declares is a located problem, not a duplicate identifier', async () => {
    const result = await generateFrom({
      'defs.yaml': yaml`
        spec: schemantic/v1
        agents:
          echo:
            output:
              - { title: Partial, type: object }
              - { title: Full, type: object }
      `,
    });
    expect(problemLines(result)).toEqual(['output-name schemas/defs.yaml:5:9 /agents/echo/output/0']);
    expect(result.problems[0]!.message).toContain('EchoOutputPartial');
    expect(result.files.size).toBe(0);
  });
});
