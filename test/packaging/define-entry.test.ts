/**
 * The bundle of `schemantic/define` (runtime/dist/define.js), the entry point generated agent
 * modules import: what it loads statically must stay small, without the run machinery (the agent
 * class, the run loop, streaming, output handling, message histories), which it imports
 * dynamically on an agent's first use. And in plain Node, through the package's exports, an agent
 * defined through it runs, shares the runtime (its errors are the main entry's classes), and
 * loads the machinery only then.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './helpers.js';

const dist = path.join(root, 'runtime/dist');

/** The relative modules a bundled module imports: statically (import/export ... from), or with import(). */
function importsOf(file: string): { static: string[]; dynamic: string[] } {
  const text = readFileSync(file, 'utf8');
  const resolve = (specifier: string) => path.resolve(path.dirname(file), specifier);
  const relative = (specifiers: string[]) => specifiers.filter((s) => s.startsWith('.')).map(resolve);
  return {
    static: relative([...text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s*"([^"]+)"|^import\s*"([^"]+)"/gms)].map((m) => (m[1] ?? m[2])!)),
    dynamic: relative([...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]!)),
  };
}

/** The bundled modules `file` loads statically, itself included. */
function staticClosure(file: string): string[] {
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const next of importsOf(f).static) visit(next);
  };
  visit(file);
  return [...seen];
}

/** The runtime sources bundled into modules (from their source maps), relative to runtime/. */
function sourcesOf(files: string[]): string[] {
  return (
    files
      // The history validator's chunk has no map (generated code: no source of its own).
      .filter((f) => !/messages-validator-[^/]+\.js$/.test(f))
      .flatMap((f) =>
        (JSON.parse(readFileSync(`${f}.map`, 'utf8')) as { sources: string[] }).sources.map((s) =>
          path.relative(path.join(root, 'runtime'), path.resolve(path.dirname(f), s)),
        ),
      )
      .sort()
  );
}

/** The run machinery: nothing of it may load with schemantic/define. */
const machinery = (source: string) =>
  source.startsWith('run/') ||
  source.startsWith('stream/') ||
  source.startsWith('schema/') ||
  ['agent/agent.ts', 'agent/output.ts', 'agent/tools.ts', 'agent/load-validators.ts', 'contract/messages-json.ts', 'models/registry.ts'].includes(source);

describe('the schemantic/define bundle', () => {
  it('loads statically none of the run machinery, which its dynamic import brings', () => {
    const entry = path.join(dist, 'define.js');
    const loaded = sourcesOf(staticClosure(entry));
    expect(loaded).toContain('define.ts');
    expect(loaded.filter(machinery)).toEqual([]);
    // What the first use loads: the agent class and the run loop with it.
    const later = sourcesOf(importsOf(entry).dynamic.flatMap(staticClosure));
    expect(later).toEqual(expect.arrayContaining(['agent/agent.ts', 'run/agent-run.ts', 'stream/streamed-run.ts']));
  });

  it('in plain Node: loads the machinery on the first run only, shares the runtime, and runs', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'schemantic-define-'));
    try {
      const log = path.join(dir, 'imports.log');
      const script = `
        import { readFileSync, writeFileSync, appendFileSync } from 'node:fs';
        import { defineAgent } from 'schemantic/define';
        const loadedNow = () => readFileSync(${JSON.stringify(log)}, 'utf8').split('\\n').filter(Boolean);
        const atImport = loadedNow();
        const { FunctionModel } = await import('schemantic/testing');
        const { UserError, VERSION } = await import('schemantic');
        const spec = { runtime: '^' + VERSION, name: 'echo', tools: [{ key: 'look', tool: { name: 'look', parameters: { type: 'object' }, validators: async () => ({ validateArgs: () => true }) } }], delegates: [], output: { kind: 'text' } };
        let missing;
        try { defineAgent(spec, { tools: {} }); } catch (err) { missing = err instanceof UserError; }
        const model = () => new FunctionModel((messages) => messages.length === 1 ? [{ kind: 'tool-call', toolName: 'look', args: {}, toolCallId: 'l' }] : 'seen');
        const streamed = defineAgent(spec, { model: model(), tools: { look: () => 'ok' } }).runStream('Look?');
        const texts = [];
        for await (const text of streamed.textStream()) texts.push(text);
        const result = await defineAgent(spec, { model: model(), tools: { look: () => 'ok' } }).run('Look?');
        console.log(JSON.stringify({ atImport, missing, texts, output: result.output, requests: result.usage().requests }));
      `;
      const result = spawnSync(process.execPath, ['--import', './test/helpers/record-imports.mjs', '--input-type=module', '-e', script], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, IMPORT_LOG: log },
      });
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout) as { atImport: string[]; missing: boolean; texts: string[]; output: string; requests: number };
      // Importing schemantic/define resolves the bundle's modules, none of the machinery.
      const atImport = report.atImport.filter((u) => u.startsWith('file://')).map((u) => new URL(u).pathname);
      expect(atImport).toContain(path.join(dist, 'define.js'));
      expect(sourcesOf(atImport.filter((f) => f.startsWith(dist))).filter(machinery)).toEqual([]);
      expect(report).toMatchObject({ missing: true, texts: ['seen'], output: 'seen', requests: 2 });
      // The run loaded it.
      const all = readFileSync(log, 'utf8')
        .split('\n')
        .filter((u) => u.startsWith('file://'))
        .map((u) => new URL(u).pathname);
      expect(sourcesOf(all.filter((f) => f.startsWith(dist)))).toContain('run/agent-run.ts');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
