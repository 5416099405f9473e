/**
 * A server changing under a pulled file: the fixture server's tool changes with DRIFT between
 * runs (fixtures/drift-server.mjs), and `schemantic pull --check` judges each change by
 * direction, as `schemantic diff` does: a new required argument breaks callers, a new optional
 * one does not, and a narrowed output enum may break other implementations (the rules'
 * `potentially-breaking` for outputs). Once pulled again, `generate --check` and `diff` see it too.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, DRIFT_SERVER, tempProject } from './mcp.helpers.js';

let project: ReturnType<typeof tempProject>;
beforeAll(async () => {
  project = tempProject();
  const first = await cli(project.dir, 'pull', '--mcp', `node ${DRIFT_SERVER}`);
  expect(first.code).toBe(0);
});
afterAll(() => project?.remove());

const file = () => path.join(project.dir, 'schemas/mcp/drift.yaml');
/** `pull --check` against the server started with DRIFT set to `drift`. */
const checkAgainst = (drift: string) => cli(project.dir, 'pull', '--check', '--name', 'drift', '--mcp', `DRIFT=${drift} node ${DRIFT_SERVER}`);

describe('schemantic pull --check, against a server that changed', () => {
  it('exits 0 while the server lists what the file holds (its version may differ)', async () => {
    const run = await checkAgainst('none');
    expect(run.code).toBe(0);
    expect(run.stdout).toEqual([
      expect.stringMatching(/^schemantic pull: schemas\/mcp\/drift\.yaml matches the live server: MCP server "test\/drift" 1\.0\.0-none, 1 tool/),
    ]);
  });

  it.each([
    [
      'required-arg',
      'breaking              property-added-required /tools/find_store/parameters/properties/country',
      'required property "country" added: callers and stored histories do not send it',
      '1 breaking, 0 potentially breaking, 0 behavioural, 0 safe',
    ],
    [
      'optional-arg',
      'safe                  property-added-optional /tools/find_store/parameters/properties/country',
      'optional property "country" added: existing writers and readers are unaffected',
      '0 breaking, 0 potentially breaking, 0 behavioural, 1 safe',
    ],
    [
      'narrowed-enum',
      'potentially-breaking  enum-value-removed /tools/find_store/returns/properties/status/enum',
      'value "unknown" no longer allowed: values valid before are now rejected: other implementations and stored results may not comply',
      '0 breaking, 1 potentially breaking, 0 behavioural, 0 safe',
    ],
  ])('%s: exits 1 with the finding, judged by direction', async (drift, finding, impact, counts) => {
    const before = readFileSync(file(), 'utf8');
    const run = await checkAgainst(drift);
    expect(run.code).toBe(1);
    expect(run.stdout[0]).toBe('mcp drift');
    expect(run.stdout[1]).toBe(`  ${finding}`);
    expect(run.stdout[2]!.trim()).toBe(impact);
    // Where it was in the pulled file (the live server has no file).
    expect(run.stdout[3]!.trim()).toMatch(/^was schemas\/mcp\/drift\.yaml:\d+:\d+$/);
    expect(run.stdout).toHaveLength(4);
    expect(run.stderr).toEqual([
      expect.stringMatching(
        new RegExp(
          `^schemantic pull: schemas/mcp/drift\\.yaml no longer matches the live server: MCP server "test/drift" 1\\.0\\.0-${drift}, 1 tool: ${counts} \\(\\d+ ms\\); pull it again to update it$`,
        ),
      ),
    ]);
    // --check writes nothing.
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  it('says when the pulled file was edited by hand', async () => {
    const original = readFileSync(file(), 'utf8');
    try {
      writeFileSync(file(), original.replace('description: Finds the store of a city', 'description: Finds a store'));
      const run = await checkAgainst('none');
      expect(run.code).toBe(1);
      expect(run.stderr[0]).toBe(
        'schemantic pull: schemas/mcp/drift.yaml was edited since it was pulled (its tools no longer have the fingerprint of its banner)',
      );
      expect(run.stdout).toContain('  behavioural           description-changed /tools/find_store/description');
    } finally {
      writeFileSync(file(), original);
    }
  });
});

describe('two servers of one name', () => {
  it("do not replace each other's file unless --name says so", async () => {
    const original = readFileSync(file(), 'utf8');
    try {
      // As if another server that calls itself `.../drift` had been pulled first.
      writeFileSync(file(), original.replace('from MCP server "test/drift"', 'from MCP server "acme/drift"'));
      const run = await cli(project.dir, 'pull', '--mcp', `node ${DRIFT_SERVER}`);
      expect(run).toMatchObject({
        code: 2,
        stderr: ['schemantic pull: schemas/mcp/drift.yaml holds MCP server "acme/drift", not "test/drift": choose a name with --name (drift replaces it)'],
      });
      expect((await cli(project.dir, 'pull', '--mcp', `node ${DRIFT_SERVER}`, '--name', 'drift')).code).toBe(0);
      expect(readFileSync(file(), 'utf8')).toBe(original);
    } finally {
      writeFileSync(file(), original);
    }
  });
});

describe('a server pulled again after it changed', () => {
  it('is caught by generate --check, and by diff against the old definitions', async () => {
    expect((await cli(project.dir, 'generate')).code).toBe(0);
    cpSync(path.join(project.dir, 'schemas'), path.join(project.dir, 'old'), { recursive: true });
    const pull = await cli(project.dir, 'pull', '--name', 'drift', '--mcp', `DRIFT=required-arg node ${DRIFT_SERVER}`);
    expect(pull.code).toBe(0);
    expect(pull.stdout[0]).toMatch(/^schemantic pull: schemas\/mcp\/drift\.yaml updated: MCP server "test\/drift" 1\.0\.0-required-arg, 1 tool/);
    // The environment given on the command line is how the server is started from now on.
    expect(readFileSync(file(), 'utf8')).toContain('    env: {DRIFT: required-arg}\n');
    const stale = await cli(project.dir, 'generate', '--check');
    expect(stale.code).toBe(1);
    expect(stale.stderr.join('\n')).toContain('mcp/drift.ts');
    const diff = await cli(project.dir, 'diff', '--against', 'old');
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('  breaking              property-added-required /tools/find_store/parameters/properties/country');
    expect(diff.stdout).toContain('  behavioural           setting-changed /env');
  });
});
