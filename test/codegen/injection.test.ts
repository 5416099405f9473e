/**
 * Hostile definitions (names that are reserved words, descriptions and keys holding `*\/`,
 * backticks, `${`, quotes, newlines, U+2028) produce code that compiles (typecheck.test.ts covers
 * the hostile snapshot) and contains no injected code: every such string stays data.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { Node, Project, SyntaxKind } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../codegen/targets/typescript/pipeline.js';
import { folderReader } from '../../codegen/compiler/load.js';
import { parse } from 'yaml';

const here = path.dirname(new URL(import.meta.url).pathname);
const fixture = path.join(here, 'fixtures', 'hostile');
const snapshot = path.join(here, '__snapshots__', 'hostile');
const ALLOWED_STATEMENTS = new Set([
  SyntaxKind.ImportDeclaration,
  SyntaxKind.ExportDeclaration,
  SyntaxKind.InterfaceDeclaration,
  SyntaxKind.TypeAliasDeclaration,
  SyntaxKind.VariableStatement,
  SyntaxKind.FunctionDeclaration,
]);

describe('hostile definitions', () => {
  it('generate modules whose only code is the template: strings stay literals and comments', async () => {
    const result = await runPipeline({ reader: folderReader(fixture), displayPrefix: 'test/codegen/fixtures/hostile' });
    expect(result.problems).toEqual([]);
    const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { allowJs: true } });
    for (const [file, text] of result.files) {
      const source = project.createSourceFile(file, text);
      expect(
        source.getPreEmitDiagnostics().filter((d) => d.getCategory() === 1 && d.getCode() < 2000),
        file,
      ).toEqual([]);
      for (const statement of source.getStatements()) {
        if (file.endsWith('.js')) continue; // Ajv's own code, checked below for identifiers only
        expect(ALLOWED_STATEMENTS.has(statement.getKind()), `${file}: ${statement.getKindName()}`).toBe(true);
      }
      // The payloads all write to globalThis.pwned: outside strings and comments that would be an identifier.
      const identifiers = source.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText());
      expect(identifiers, file).not.toContain('globalThis');
      expect(identifiers, file).not.toContain('pwned');
      if (file.endsWith('.ts') && !file.endsWith('.d.ts')) {
        // The only calls: the factory's defineAgent, and imports of a validators module by a literal path.
        const calls = source.getDescendantsOfKind(SyntaxKind.CallExpression).map((c) => {
          const args = c.getArguments();
          const literal = args.length === 1 && Node.isStringLiteral(args[0]) ? args[0].getLiteralValue() : undefined;
          return c.getExpression().getText() === 'import' && literal !== undefined && /^(\.\.\/)+validators\/[a-z0-9/-]+\.js$/.test(literal)
            ? 'import(validators)'
            : c.getExpression().getText();
        });
        expect(
          calls.every((c) => c === 'schemantic.defineAgent' || c === 'import(validators)'),
          `${file}: ${calls.join(', ')}`,
        ).toBe(true);
        expect(source.getDescendants().some((n) => Node.isTemplateExpression(n) || Node.isNoSubstitutionTemplateLiteral(n))).toBe(false);
      }
    }
  });

  it('keep every hostile string intact as data when the modules run', async () => {
    const definitions = parse(readFileSync(path.join(fixture, 'defs.yaml'), 'utf8'));
    const agent = await import(path.join(snapshot, 'agents', 'constructor.ts'));
    const tool = await import(path.join(snapshot, 'tools', 'class.ts'));
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
    expect(agent.constructorSpec.description).toBe(definitions.agents.constructor.description);
    expect(agent.constructorSpec.model).toBe(definitions.agents.constructor.model);
    expect(agent.constructorSpec.instructions).toEqual(['Say "', { path: ['constructor'] }, '" */ ${globalThis.pwned = 10} `x` {{ literal']);
    expect(tool.classTool.description).toBe(definitions.tools.class.description);
    const props = tool.classTool.parameters.$defs.class.properties;
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
    expect(Object.keys(props)).toEqual(Object.keys(definitions.types.class.properties));
    expect(tool.classTool.parameters.$defs.constructor.enum).toEqual(definitions.types.constructor.enum);
  });

  it('validate objects whose properties are named like Object.prototype members', async () => {
    const validators = await import(path.join(snapshot, 'validators', 'agents', 'constructor.js'));
    expect(validators.validateContext({ constructor: 'x' })).toBe(true);
    expect(validators.validateContext({})).toBe(false);
    expect(validators.validateContext.errors[0]).toMatchObject({ keyword: 'required', params: { missingProperty: 'constructor' } });
    expect(validators.validateOutputClass({ prototype: 'p', constructor: 1, toString: 'not a boolean' })).toBe(false);
    expect(validators.validateOutputClass.errors.map((e: { instancePath: string }) => e.instancePath)).toEqual(['/toString']);
  });
});
