/**
 * The manifest (`schemantic.manifest.json`) and what it buys: `generate` and `--check` on an
 * up-to-date tree prove it from hashes without running the pipeline; after an edit only the files
 * made from what changed are emitted, and the tree is exactly what a cold run writes; a hand edit,
 * a missing, extra or unlisted file, and a corrupt, foreign or lying manifest are all caught.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../codegen/cli/main.js';
import { MANIFEST_FILE, parseManifest, renderManifest } from '../../codegen/cli/manifest.js';
import { sourcesId } from '../../codegen/cli/generator-id.js';
import { contentHash } from '../../codegen/compiler/content-hash.js';
import { captureIo } from '../helpers/io.js';
import { listFiles, readTree } from '../helpers/fs.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(path.join(os.tmpdir(), 'schemantic-manifest-'));
  // The shipped examples: several files, shared types, delegation, warnings-free.
  cpSync(path.join(root, 'schemas'), path.join(cwd, 'schemas'), { recursive: true, filter: (src) => !src.includes(`${path.sep}meta`) });
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const io = captureIo();
  const code = await main(args, io, cwd);
  return { code, out: io.stdout, err: io.stderr };
}

/** A warning as the manifest stores one, with some fields replaced. */
function forged(fields: Record<string, unknown>): Record<string, unknown> {
  return { code: 'not-strict', message: 'x', file: 'schemas/weather.yaml', line: 1, col: 1, pointer: '', severity: 'warning', ...fields };
}

const manifestPath = () => path.join(cwd, 'generated', MANIFEST_FILE);
const readManifest = () => readFileSync(manifestPath(), 'utf8');

/** The tree a cold run writes from the current definitions, in a folder of its own. */
async function coldTree(): Promise<Record<string, string>> {
  expect((await run('generate', '--out', 'cold')).code).toBe(0);
  const tree = readTree(path.join(cwd, 'cold'));
  rmSync(path.join(cwd, 'cold'), { recursive: true });
  return tree;
}

describe('the manifest', () => {
  it('is written with the tree, lists every generated file once per line, and is the same for the same definitions', async () => {
    expect((await run('generate')).code).toBe(0);
    const text = readManifest();
    const manifest = parseManifest(text)!;
    expect(manifest).toBeDefined();
    const files = listFiles(path.join(cwd, 'generated')).filter((f) => f !== MANIFEST_FILE);
    expect([...manifest.outputs.keys()].sort()).toEqual(files);
    expect([...manifest.inputs.keys()]).toEqual(listFiles(path.join(cwd, 'schemas')).filter((f) => /\.(ya?ml|json)$/.test(f)));
    for (const rel of files)
      expect(text).toMatch(new RegExp(`^    ${JSON.stringify(rel).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: "[0-9a-f]{24} [0-9a-f]{24}",?$`, 'm'));
    // Rendering what was parsed gives the same text: nothing is lost or reordered.
    expect(renderManifest(manifest)).toBe(text);
    expect((await coldTree())[MANIFEST_FILE]).toBe(text);
  });

  it('lets generate and --check prove an unchanged tree up to date without running the pipeline', async () => {
    expect((await run('generate')).code).toBe(0);
    const count = listFiles(path.join(cwd, 'generated')).length;
    const again = await run('generate', '--timings');
    expect(again.code).toBe(0);
    expect(again.err[0]).toMatch(/^timings: up-to-date check [\d.]+ ms \(nothing to do\)$/);
    expect(again.err.some((l) => l.includes('emit'))).toBe(false);
    expect(again.out.at(-1)).toContain(`${count} files (0 written, ${count} unchanged, 0 removed)`);
    const check = await run('generate', '--check', '--timings');
    expect(check.code).toBe(0);
    expect(check.err[0]).toContain('(nothing to do)');
    expect(check.out.at(-1)).toMatch(new RegExp(`^schemantic generate --check: generated/ is up to date \\(${count} files, \\d+ ms\\)$`));
  });

  it('after an edit emits only what the edited entry reaches, and writes exactly what a cold run writes', async () => {
    expect((await run('generate')).code).toBe(0);
    const total = listFiles(path.join(cwd, 'generated')).length - 1;
    const file = path.join(cwd, 'schemas', 'weather.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('Be concise, reply with one sentence.');
    writeFileSync(file, text.replace('Be concise, reply with one sentence.', 'Be brief: one sentence.'));
    const edited = await run('generate', '--timings');
    expect(edited.code).toBe(0);
    const reused = Number(/; (\d+) files reused$/m.exec(edited.err.join('\n'))?.[1]);
    expect(reused).toBeGreaterThan(total - 5);
    expect(reused).toBeLessThan(total);
    // The agent module and the manifest are rewritten; nothing else changed.
    expect(edited.out.at(-1)).toContain('(2 written,');
    expect(readTree(path.join(cwd, 'generated'))).toEqual(await coldTree());
    // And --check agrees, from hashes alone.
    expect((await run('generate', '--check', '--timings')).err[0]).toContain('(nothing to do)');
  });

  it('re-emits every entry of a file whose file-wide settings change', async () => {
    expect((await run('generate')).code).toBe(0);
    const file = path.join(cwd, 'schemas', 'weather.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('spec: schemantic/v1\n', 'spec: schemantic/v1\nlax: false\n'));
    expect((await run('generate')).code).toBe(0);
    expect(readTree(path.join(cwd, 'generated'))).toEqual(await coldTree());
  });

  it('is the same whether the generator runs from its sources or from its build', async () => {
    expect((await run('generate')).code).toBe(0);
    const built = spawnSync(process.execPath, [path.join(root, 'codegen/bin/schemantic.js'), 'generate', '--out', 'built'], { cwd, encoding: 'utf8' });
    expect(built.status).toBe(0);
    expect(readFileSync(path.join(cwd, 'built', MANIFEST_FILE), 'utf8')).toBe(readManifest());
    // And the build's stored hash of the sources is the one computed from them.
    expect(JSON.parse(readFileSync(path.join(root, 'codegen/dist/generator-id.json'), 'utf8'))).toEqual({ sources: sourcesId() });
  });

  it('sees an edit of the templates an installed generator reads, though its build stored the hash of its code', async () => {
    // An installed @schemantic/cli: bin, dist, templates and meta-schemas side by side.
    const pkg = path.join(cwd, 'cli');
    for (const part of ['bin', 'dist', 'package.json']) cpSync(path.join(root, 'codegen', part), path.join(pkg, part), { recursive: true });
    cpSync(path.join(root, 'templates'), path.join(pkg, 'templates'), { recursive: true });
    cpSync(path.join(root, 'schemas', 'meta'), path.join(pkg, 'schemas', 'meta'), { recursive: true });
    symlinkSync(path.join(root, 'node_modules'), path.join(pkg, 'node_modules'));
    const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(pkg, 'bin', 'schemantic.js'), ...args], { cwd, encoding: 'utf8' });
    expect(cli('generate').status).toBe(0);
    expect(cli('generate', '--check').status).toBe(0);
    const template = path.join(pkg, 'templates', 'agent.ts.hbs');
    writeFileSync(template, readFileSync(template, 'utf8').replace(/\n/, '\n// edited template\n'));
    const check = cli('generate', '--check');
    expect(check.status).toBe(1);
    expect(check.stderr).toContain('  changed  generated/agents/weather.ts');
  });

  it('finds a generated file edited by hand, and regenerates it', async () => {
    expect((await run('generate')).code).toBe(0);
    const target = path.join(cwd, 'generated', 'agents', 'weather.ts');
    const original = readFileSync(target, 'utf8');
    writeFileSync(target, original.replace('export function', '// tweaked\nexport function'));
    const check = await run('generate', '--check');
    expect(check.code).toBe(1);
    expect(check.err).toContain('  changed  generated/agents/weather.ts');
    const fix = await run('generate');
    expect(fix.out.at(-1)).toContain('(1 written,');
    expect(readFileSync(target, 'utf8')).toBe(original);
  });

  it('finds missing and extra generated files', async () => {
    expect((await run('generate')).code).toBe(0);
    const gen = path.join(cwd, 'generated');
    const agent = readFileSync(path.join(gen, 'agents', 'weather.ts'), 'utf8');
    rmSync(path.join(gen, 'agents', 'whales.ts'));
    writeFileSync(path.join(gen, 'agents', 'stray.ts'), agent);
    const check = await run('generate', '--check');
    expect(check.code).toBe(1);
    expect(check.err).toContain('  missing  generated/agents/whales.ts');
    expect(check.err).toContain('  extra    generated/agents/stray.ts');
    expect((await run('generate')).code).toBe(0);
    expect(readTree(gen)).toEqual(await coldTree());
  });

  it('is ignored when corrupt, of another format or generator, or from another definitions folder, and rewritten', async () => {
    expect((await run('generate')).code).toBe(0);
    const good = readManifest();
    const bad = [
      good.slice(0, good.length / 2),
      good.replace(/\n {4}"agents\//, '\n<<<<<<< HEAD\n    "agents/'),
      good.replace('"manifest": 1', '"manifest": 99'),
      good.replace(/"generator": "[0-9a-f]+"/, '"generator": "000000000000000000000000"'),
      good.replace('"source": "schemas"', '"source": "elsewhere"'),
      good.replace(/: "([0-9a-f]{24}) [0-9a-f]{24}"/, ': "$1 not-a-hash"'),
      good.replace(/"summary": \{[^}]*\}/, '"summary": {"agents": "many"}'),
      // Warnings a run with nothing to do would print: only plain ones about the definitions.
      good.replace('"warnings": []', `"warnings": [${JSON.stringify(forged({ message: 'all good \u001b[2J' }))}]`),
      good.replace('"warnings": []', `"warnings": [${JSON.stringify(forged({ severity: 'error' }))}]`),
      good.replace('"warnings": []', `"warnings": [${JSON.stringify(forged({ file: 'elsewhere/x.yaml' }))}]`),
      // Edited in any way, even to something it could parse: not what this generator wrote.
      good.replace(/"summary": \{"agents":\d+/, '"summary": {"agents":999'),
      good.replace('"manifest": 1,', '"manifest": 1,\n  "extra": "hand edit",'),
      good.replace('"pending": {}', `"pending": {"agents/weather.ts": [${JSON.stringify({ ...forged({ severity: 'error' }), rel: 'weather.yaml' })}]}`),
      good.replace('"pending": {}', `"pending": {"agents/weather.ts": [${JSON.stringify({ ...forged({ message: '\u001b[31m' }), rel: 'weather.yaml' })}]}`),
    ];
    for (const [i, text] of bad.entries()) {
      expect(text, `bad manifest ${i}`).not.toBe(good);
      writeFileSync(manifestPath(), text);
      const result = await run('generate', '--timings');
      expect(result.code).toBe(0);
      expect(result.err[0], `bad manifest ${i}`).not.toContain('(nothing to do)');
      expect(result.err.join('\n')).toMatch(/; 0 files reused$/m);
      expect(readManifest()).toBe(good);
    }
    // Without the banner it is not ours to overwrite, like any other file in the way.
    for (const text of ['', '{', 'null']) {
      writeFileSync(manifestPath(), text);
      const result = await run('generate');
      expect(result.code).toBe(1);
      expect(result.err[0]).toBe(`generated/${MANIFEST_FILE}: exists and was not generated by Schemantic (no banner); not overwriting it`);
      expect(readManifest()).toBe(text);
    }
  });

  it('prints the warnings it recorded when a run has nothing to do', async () => {
    expect((await run('generate')).code).toBe(0);
    const manifest = parseManifest(readManifest())!;
    writeFileSync(manifestPath(), renderManifest({ ...manifest, warnings: [forged({ message: 'recorded' }) as never] }));
    const result = await run('generate', '--timings');
    expect(result.err).toEqual([expect.stringContaining('(nothing to do)'), 'schemas/weather.yaml:1:1 warning not-strict: recorded']);
  });

  it('with --full ignores the manifest: a generated file edited with its hash in the manifest is still found', async () => {
    expect((await run('generate')).code).toBe(0);
    const target = path.join(cwd, 'generated', 'agents', 'weather.ts');
    const before = readFileSync(target, 'utf8');
    const after = before.replace('"openai:gpt-4o"', '"evil:model"');
    expect(after).not.toBe(before);
    writeFileSync(target, after);
    // A deliberate forger edits the line and writes the manifest as the generator would (its digest
    // included): the fast path is fooled, since the hashes are not signed.
    const manifest = parseManifest(readManifest())!;
    const outputs = new Map(manifest.outputs);
    outputs.set('agents/weather.ts', { ...outputs.get('agents/weather.ts')!, hash: contentHash(after) });
    writeFileSync(manifestPath(), renderManifest({ ...manifest, outputs }));
    expect((await run('generate', '--check')).code).toBe(0);
    const full = await run('generate', '--check', '--full', '--timings');
    expect(full.code).toBe(1);
    expect(full.err.some((l) => l.includes('up-to-date check'))).toBe(false);
    expect(full.err).toContain('  changed  generated/agents/weather.ts');
    expect((await run('generate', '--full')).code).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(before);
    expect(readTree(path.join(cwd, 'generated'))).toEqual(await coldTree());
  });

  it('never trusts a recorded fingerprint over the content: a forged line still regenerates the file', async () => {
    expect((await run('generate')).code).toBe(0);
    const target = path.join(cwd, 'generated', 'tools', 'get-lat-lng.ts');
    const original = readFileSync(target, 'utf8');
    // The file is edited, and the manifest line keeps its old hash: the content no longer matches.
    writeFileSync(target, original + '// appended\n');
    const file = path.join(cwd, 'schemas', 'weather.yaml');
    writeFileSync(file, readFileSync(file, 'utf8') + '\n# a comment: the definitions changed, the entries did not\n');
    const result = await run('generate', '--timings');
    expect(result.code).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(original);
    expect(readTree(path.join(cwd, 'generated'))).toEqual(await coldTree());
  });

  it('is kept by a run with problems: nothing is written', async () => {
    expect((await run('generate')).code).toBe(0);
    const good = readManifest();
    const file = path.join(cwd, 'schemas', 'weather.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('tools:', 'tools: [oops'));
    expect((await run('generate')).code).toBe(1);
    expect(readManifest()).toBe(good);
    const check = await run('generate', '--check');
    expect(check.code).toBe(1);
    expect(check.err.at(-1)).toContain('in the definitions');
  });
});
