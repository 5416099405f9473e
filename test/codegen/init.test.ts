/**
 * `schemantic init`: the config, the first definitions file (which the real pipeline accepts as
 * written) and the package scripts; never overwriting without --force; --dry-run; package.json
 * edited in place (nothing else moved or reformatted) or, when it is not valid JSON, left alone.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../codegen/cli/main.js';
import { packageStep } from '../../codegen/cli/commands/init.js';
import { captureIo } from '../helpers/io.js';
import { listFiles, readTree } from '../helpers/fs.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(path.join(os.tmpdir(), 'schemantic-init-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

const read = (rel: string) => readFileSync(path.join(cwd, rel), 'utf8');
const write = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(cwd, rel)), { recursive: true });
  writeFileSync(path.join(cwd, rel), text);
};

/** A package.json as npm writes it (two spaces), with keys in an order a reformat would not keep. */
const PACKAGE = `{
  "name": "my-app",
  "version": "1.0.0",
  "type": "module",
  "scripts": {
    "test": "vitest",
    "build": "tsc"
  },
  "dependencies": {
    "zod": "^4.0.0"
  },
  "author": ""
}
`;

/** Where a `$schema` written at `file` (relative to the project) points, relative to the project. */
function target(file: string, ref: string): string {
  return path
    .relative(cwd, path.resolve(path.dirname(path.join(cwd, file)), ref))
    .split(path.sep)
    .join('/');
}

describe('schemantic init', () => {
  it('sets a fresh project up, and what it writes passes validate and generate as it is', async () => {
    write('package.json', PACKAGE);
    const io = captureIo();
    expect(await main(['init'], io, cwd)).toBe(0);
    expect(io.stdout.slice(0, 3)).toEqual([
      'schemantic init: wrote schemantic.config.json',
      'schemantic init: wrote schemas/agents.yaml',
      'schemantic init: added the scripts "generate" and "check:generated" to package.json',
    ]);
    const next = io.stdout.join('\n');
    expect(next).toContain('npm i -D @schemantic/cli && npm i schemantic');
    expect(next).toContain('npx schemantic generate');
    expect(next).toContain("import { createOrderSupportAgent } from './generated/agents/order-support.js'");
    expect(io.stderr).toEqual([]);
    expect(listFiles(cwd)).toEqual(['package.json', 'schemantic.config.json', 'schemas/agents.yaml']);

    const config = JSON.parse(read('schemantic.config.json'));
    expect(config).toEqual({ $schema: './node_modules/@schemantic/cli/schemas/meta/config.schema.json', schemas: 'schemas', out: 'generated' });
    const defs = read('schemas/agents.yaml');
    const first = defs.split('\n')[0]!;
    expect(first).toBe('# yaml-language-server: $schema=../node_modules/@schemantic/cli/schemas/meta/definitions.schema.json');

    // Both $schema paths lead to where the installed @schemantic/cli keeps its meta-schemas.
    const cli = JSON.parse(readFileSync(path.join(root, 'codegen/package.json'), 'utf8'));
    expect(cli.files).toContain('schemas/meta');
    const inPackage = (exported: string) => `node_modules/@schemantic/cli/${cli.exports[exported].replace(/^\.\//, '')}`;
    expect(target('schemas/agents.yaml', first.split('$schema=')[1]!)).toBe(inPackage('./meta/definitions.schema.json'));
    expect(target('schemantic.config.json', config.$schema)).toBe(inPackage('./meta/config.schema.json'));

    // The real pipeline, as the user will run it next.
    const validate = captureIo();
    expect(await main(['validate'], validate, cwd)).toBe(0);
    expect(validate.stdout[0]).toMatch(/^schemantic validate: 1 agent, 1 tool, 1 type in 1 file: no problems/);
    const generate = captureIo();
    expect(await main(['generate'], generate, cwd), generate.stderr.join('\n')).toBe(0);
    expect(generate.stderr).toEqual([]);
    const tree = listFiles(path.join(cwd, 'generated'));
    expect(tree).toEqual(
      expect.arrayContaining(['index.ts', 'agents/order-support.ts', 'tools/get-order-status.ts', 'types/agents.ts', 'validators/agents/order-support.js']),
    );
    expect(read('generated/agents/order-support.ts')).toContain('export function createOrderSupportAgent');
    expect(read('generated/agents/order-support.ts')).toContain('getOrderStatus: schemantic.ToolHandler');
    expect(await main(['generate', '--check'], captureIo(), cwd)).toBe(0);
  });

  it('puts the definitions under --schemas and records both folders in the config', async () => {
    write('package.json', PACKAGE);
    expect(await main(['init', '--schemas', 'contracts/agents', '--out', 'src/generated'], captureIo(), cwd)).toBe(0);
    expect(JSON.parse(read('schemantic.config.json'))).toMatchObject({ schemas: 'contracts/agents', out: 'src/generated' });
    const first = read('contracts/agents/agents.yaml').split('\n')[0]!;
    expect(first).toBe('# yaml-language-server: $schema=../../node_modules/@schemantic/cli/schemas/meta/definitions.schema.json');
    expect(target('contracts/agents/agents.yaml', first.split('$schema=')[1]!)).toBe('node_modules/@schemantic/cli/schemas/meta/definitions.schema.json');
    await expect(() => read('schemas/agents.yaml')).toThrow();

    expect(await main(['generate'], captureIo(), cwd)).toBe(0);
    expect(listFiles(path.join(cwd, 'src/generated'))).toContain('agents/order-support.ts');
  });

  it('refuses to overwrite an existing file, says which, exits 1 and changes nothing', async () => {
    write('package.json', PACKAGE);
    write('schemas/agents.yaml', 'spec: schemantic/v1\n# mine\n');
    const before = readTree(cwd);
    const io = captureIo();
    expect(await main(['init'], io, cwd)).toBe(1);
    expect(io.stderr).toEqual(['schemas/agents.yaml: exists; not overwriting it (--force replaces it)', 'schemantic init: 1 problem; nothing written']);
    expect(io.stdout).toEqual([]);
    expect(readTree(cwd)).toEqual(before);

    write('schemantic.config.json', '{ "out": "gen" }\n');
    const both = captureIo();
    expect(await main(['init', '--out', 'gen'], both, cwd)).toBe(1);
    expect(both.stderr[0]).toBe('schemantic.config.json: exists; not overwriting it (--force replaces it)');
    expect(both.stderr.at(-1)).toBe('schemantic init: 2 problems; nothing written');
    expect(read('schemantic.config.json')).toBe('{ "out": "gen" }\n');
    expect(read('package.json')).toBe(PACKAGE);
  });

  it('treats a "schemantic" key in package.json as an existing configuration', async () => {
    const pkg = '{\n  "name": "x",\n  "schemantic": { "schemas": "defs" }\n}\n';
    write('package.json', pkg);
    const io = captureIo();
    expect(await main(['init'], io, cwd)).toBe(1);
    expect(io.stderr[0]).toContain('package.json: has a "schemantic" key');
    expect(listFiles(cwd)).toEqual(['package.json']);
    expect(read('package.json')).toBe(pkg);
  });

  it('--force overwrites the config and the definitions file, and still only adds to package.json', async () => {
    write('package.json', PACKAGE);
    write('schemantic.config.json', '{ "out": "old" }\n');
    write('schemas/agents.yaml', '# mine\n');
    const io = captureIo();
    expect(await main(['init', '--force'], io, cwd)).toBe(0);
    expect(io.stdout.slice(0, 2)).toEqual(['schemantic init: overwrote schemantic.config.json', 'schemantic init: overwrote schemas/agents.yaml']);
    // The folders default to the configuration in place.
    expect(JSON.parse(read('schemantic.config.json'))).toMatchObject({ schemas: 'schemas', out: 'old' });
    expect(read('schemas/agents.yaml')).toMatch(/^# yaml-language-server: \$schema=/);
    expect(read('schemas/agents.yaml')).toContain('order_support:');
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.scripts).toEqual({ test: 'vitest', build: 'tsc', generate: 'schemantic generate', 'check:generated': 'schemantic generate --check' });
    expect(listFiles(cwd).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('--dry-run prints every file and the package.json change, and writes nothing', async () => {
    write('package.json', PACKAGE);
    const before = readTree(cwd);
    const io = captureIo();
    expect(await main(['init', '--dry-run'], io, cwd)).toBe(0);
    expect(readTree(cwd)).toEqual(before);
    const out = io.stdout.join('\n');
    expect(out).toContain('schemantic init --dry-run: would write schemantic.config.json:');
    expect(out).toContain('"$schema": "./node_modules/@schemantic/cli/schemas/meta/config.schema.json"');
    expect(out).toContain(
      'schemantic init --dry-run: would write schemas/agents.yaml:\n# yaml-language-server: $schema=../node_modules/@schemantic/cli/schemas/meta/definitions.schema.json',
    );
    expect(out).toContain('would add 2 scripts to package.json:');
    expect(out).toMatch(/^-    "build": "tsc"$/m);
    expect(out).toMatch(/^\+    "build": "tsc",$/m);
    expect(out).toMatch(/^\+    "generate": "schemantic generate",$/m);
    expect(out).toMatch(/^\+    "check:generated": "schemantic generate --check"$/m);
    expect(out).not.toContain('schemantic init: wrote');

    // A dry run says what the real run would say about a file in the way.
    write('schemas/agents.yaml', '# mine\n');
    const blocked = captureIo();
    expect(await main(['init', '--dry-run'], blocked, cwd)).toBe(1);
    expect(blocked.stderr[0]).toBe('schemas/agents.yaml: exists; not overwriting it (--force replaces it)');
    expect(listFiles(cwd)).toEqual(['package.json', 'schemas/agents.yaml']);
  });

  it('reports a package.json that is not valid JSON and leaves everything untouched', async () => {
    const broken = '{\n  "name": "my-app",\n  "scripts": { "test": "vitest", },\n}\n';
    write('package.json', broken);
    const io = captureIo();
    expect(await main(['init'], io, cwd)).toBe(1);
    expect(io.stderr[0]).toMatch(/^package\.json is not valid JSON \(.+\); fix it, then run schemantic init again$/);
    expect(io.stderr.at(-1)).toBe('schemantic init: 1 problem; nothing written');
    expect(read('package.json')).toBe(broken);
    expect(listFiles(cwd)).toEqual(['package.json']);

    write('package.json', '{ "scripts": "vitest" }');
    const notObject = captureIo();
    expect(await main(['init'], notObject, cwd)).toBe(1);
    expect(notObject.stderr[0]).toBe('package.json: "scripts" is not an object; fix it, then run schemantic init again');
    expect(read('package.json')).toBe('{ "scripts": "vitest" }');
  });

  it('without a package.json says so, skips the scripts and writes the rest', async () => {
    const io = captureIo();
    expect(await main(['init'], io, cwd)).toBe(0);
    expect(io.stderr).toEqual([expect.stringMatching(/^schemantic init: no package\.json here, so no scripts added/)]);
    expect(listFiles(cwd)).toEqual(['schemantic.config.json', 'schemas/agents.yaml']);
    expect(io.stdout.join('\n')).not.toContain('npm run generate');
  });

  it('merges the scripts into package.json without losing, moving or reformatting anything', async () => {
    // Tabs, CRLF, a taken "generate" script and keys in no particular order.
    const pkg =
      '{\r\n\t"version": "2.0.0",\r\n\t"name": "web",\r\n\t"scripts": {\r\n\t\t"generate": "nuxt generate",\r\n\t\t"dev": "nuxt dev"\r\n\t},\r\n\t"private": true\r\n}\r\n';
    write('package.json', pkg);
    const io = captureIo();
    expect(await main(['init'], io, cwd)).toBe(0);
    expect(read('package.json')).toBe(pkg.replace('"nuxt dev"', '"nuxt dev",\r\n\t\t"check:generated": "schemantic generate --check"'));
    expect(io.stdout).toContain('schemantic init: added the script "check:generated" to package.json');
    expect(io.stderr).toContain('schemantic init: package.json already has a "generate" script ("nuxt generate"); left it as it is');
    expect(io.stdout.join('\n')).not.toContain('npm run generate');

    // A second run (with --force for the files) finds the scripts in place and leaves package.json be.
    const again = captureIo();
    expect(await main(['init', '--force'], again, cwd)).toBe(0);
    expect(read('package.json')).toBe(pkg.replace('"nuxt dev"', '"nuxt dev",\r\n\t\t"check:generated": "schemantic generate --check"'));
  });

  it.each([
    ['two spaces', 2],
    ['four spaces', 4],
    ['tabs', '\t'],
    ['one line', undefined],
  ] as const)('keeps the layout of a package.json indented with %s', (_name, indent) => {
    const scripts = { generate: 'schemantic generate', 'check:generated': 'schemantic generate --check' };
    const cases: Record<string, unknown>[] = [
      { name: 'a', version: '1.0.0', scripts: { test: 'vitest', lint: 'eslint .' }, dependencies: { zod: '^4' }, files: ['dist'] },
      { name: 'a', scripts: {}, devDependencies: {} },
      { name: 'a', private: true, workspaces: ['x', 'y'], nested: { deep: { deeper: [1, { a: null }] } } },
    ];
    for (const original of cases) {
      const text = JSON.stringify(original, null, indent) + '\n';
      const step = packageStep(text);
      expect(step.kind).toBe('edit');
      if (step.kind !== 'edit') continue;
      const merged = { ...original, scripts: { ...(original['scripts'] as object | undefined), ...scripts } };
      // Byte for byte what the same serializer makes of the merged object: nothing else moved.
      expect(step.text, text).toBe(JSON.stringify(merged, null, indent) + '\n');
      expect(step.added).toEqual(['generate', 'check:generated']);
    }
  });

  it("gives an empty package.json two-space scripts (npm's own layout), since it has none to follow", () => {
    const step = packageStep('{}\n');
    expect(step.kind === 'edit' && step.text).toBe(
      '{\n  "scripts": {\n    "generate": "schemantic generate",\n    "check:generated": "schemantic generate --check"\n  }\n}\n',
    );
  });

  it('keeps a byte-order mark and escapes, and leaves a package.json that has the scripts unchanged', () => {
    const text = '\uFEFF{ "name": "a\\"b", "scripts": { "x": "echo \\"}\\"" } }';
    const step = packageStep(text);
    expect(step.kind === 'edit' && step.text).toBe(
      '\uFEFF{ "name": "a\\"b", "scripts": { "x": "echo \\"}\\"", "generate": "schemantic generate", "check:generated": "schemantic generate --check" } }',
    );
    const done = JSON.stringify({ scripts: { generate: 'schemantic generate', 'check:generated': 'schemantic generate --check' } });
    const same = packageStep(done);
    expect(same.kind === 'edit' && [same.text, same.added]).toEqual([done, []]);
  });
});

describe('schemantic init usage', () => {
  it('--help documents every flag, and the main help lists init', async () => {
    const io = captureIo();
    expect(await main(['init', '--help'], io, cwd)).toBe(0);
    const help = io.stdout[0]!;
    expect(help).toMatch(/^Usage: schemantic init \[--schemas DIR\] \[--out DIR\] \[--force\] \[--dry-run\]/);
    for (const flag of ['--schemas DIR', '--out DIR', '--force', '--dry-run', '-h, --help'])
      expect(help).toMatch(new RegExp(`^  ${flag.replace(/[-[\]]/g, '\\$&')}  `, 'm'));
    expect(help).toContain('Exit codes:');
    expect(listFiles(cwd)).toEqual([]);

    const mainHelp = captureIo();
    expect(await main(['--help'], mainHelp, cwd)).toBe(0);
    expect(mainHelp.stdout[0]).toMatch(/^ {2}init {2,}Set a project up/m);
  });

  it('exits 2 on bad usage and overlapping folders, writing nothing', async () => {
    for (const argv of [
      ['init', '--bogus'],
      ['init', '--schemas'],
      ['init', '--out', 'schemas/gen'],
      ['init', '--schemas', '.'],
    ]) {
      const io = captureIo();
      expect(await main(argv, io, cwd), argv.join(' ')).toBe(2);
      expect(io.stderr.length, argv.join(' ')).toBeGreaterThan(0);
    }
    expect(listFiles(cwd)).toEqual([]);
  });
});
