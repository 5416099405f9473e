/**
 * npm run bench:codegen — the generator on a synthetic corpus of 200 agents, 400 tools and 200
 * shared types, side by side with BAML's generator on the equivalent BAML project when
 * @boundaryml/baml is installed (`npm i --no-save @boundaryml/baml`, or in a folder named by
 * BAML_DIR).
 *
 * Reports medians of interleaved repetitions, each a fresh process: cold generate (empty output
 * folder), no-op regenerate, `generate --check` on a clean copy of the tree (as CI sees a clone
 * with `generated/` committed), one edited definitions file regenerated; then one edited file in
 * watch mode; peak memory; and the cold import
 * time of the whole generated corpus and of one agent module (compiled to JS first, as a user's
 * build would). Not a test: nothing here asserts a time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bamlCorpus, schemanticCorpus, writeCorpus } from './corpus.js';
import { benchReps, median, ROOT as root } from './stats.js';

const reps = benchReps(5);
// A folder of its own: two runs on one machine must not clobber each other's files.
const work = mkdtempSync(path.join(os.tmpdir(), 'schemantic-bench-codegen-'));
const bin = path.join(root, 'codegen', 'bin', 'schemantic.js');

/** Runs a command, returning wall time (ms) and peak resident memory (MB) from /usr/bin/time. */
function timed(command: string, args: string[], cwd: string): { ms: number; mb: number } {
  const start = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { cwd, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  const kb = Number(result.stderr.trim().split('\n').at(-1));
  return { ms, mb: kb / 1024 };
}

function bamlCli(): { bin: string; version: string } | undefined {
  // Read the installed package directly: its exports map does not expose package.json.
  // BAML_DIR: a folder where it is installed instead (keeps the repository's node_modules as npm ci left it).
  const home = process.env['BAML_DIR'] ?? root;
  const pkg = path.join(home, 'node_modules', '@boundaryml', 'baml', 'package.json');
  const cli = path.join(home, 'node_modules', '.bin', 'baml-cli');
  if (!existsSync(pkg) || !existsSync(cli)) return undefined;
  return { bin: cli, version: JSON.parse(readFileSync(pkg, 'utf8')).version as string };
}

async function watchEdits(schemas: string, out: string): Promise<{ runMs: number[]; latencyMs: number[] }> {
  const { watch } = (await import(
    pathToFileURL(path.join(root, 'codegen/dist/cli/commands/generate-watch.js')).href
  )) as typeof import('../codegen/cli/commands/generate-watch.js');
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: () => {}, color: false };
  const watcher = await watch({ cwd: work, schemas, out }, io, { debounceMs: 10 });
  const file = path.join(schemas, 'team-07.yaml');
  const original = readFileSync(file, 'utf8');
  const runMs: number[] = [];
  const latencyMs: number[] = [];
  for (let i = 0; i < reps * 2; i++) {
    const seen = lines.length;
    const start = performance.now();
    writeFileSync(file, original.replace('with task 70.', `with task 70 (edit ${i}).`));
    while (lines.length === seen) await new Promise((r) => setTimeout(r, 1));
    latencyMs.push(performance.now() - start);
    runMs.push(Number(/\((\d+) ms\)$/.exec(lines.at(-1)!)?.[1]));
    // The edited agent's module and the manifest.
    if (!lines.at(-1)!.includes('2 files written')) throw new Error(`unexpected watch line: ${lines.at(-1)}`);
  }
  writeFileSync(file, original);
  await watcher.close();
  return { runMs, latencyMs };
}

function importTimes(out: string): { corpus: number[]; agent: number[]; baseline: number[] } {
  const js = path.join(work, 'compiled');
  rmSync(js, { recursive: true, force: true });
  const tsconfig = path.join(work, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: true,
        outDir: js,
        rootDir: out,
        declaration: false,
        types: [],
        paths: {
          schemantic: [path.join(root, 'runtime/dist/types/index.d.ts')],
          'schemantic/validators': [path.join(root, 'runtime/dist/types/validators/index.d.ts')],
          'schemantic/define': [path.join(root, 'runtime/dist/types/define.d.ts')],
        },
      },
      include: [out],
    }),
  );
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], { stdio: 'inherit' });
  // The validators are already JavaScript; copy them next to the compiled modules.
  execFileSync('cp', ['-r', path.join(out, 'validators'), js]);
  // Generated code imports `schemantic`: make it resolvable from the compiled tree.
  mkdirSync(path.join(js, 'node_modules'), { recursive: true });
  rmSync(path.join(js, 'node_modules', 'schemantic'), { force: true });
  execFileSync('ln', ['-s', path.join(root, 'runtime'), path.join(js, 'node_modules', 'schemantic')]);
  const measure = (entry: string): number => {
    const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(entry).href)}); console.log(performance.now() - t);`;
    return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim());
  };
  // What Node itself spends on the first import of a process (loader start-up), for scale.
  const empty = path.join(js, 'empty.js');
  writeFileSync(empty, 'export {};\n');
  const corpus: number[] = [];
  const agent: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < reps; i++) {
    corpus.push(measure(path.join(js, 'index.js')));
    agent.push(measure(path.join(js, 'agents', 'agent-070.js')));
    baseline.push(measure(empty));
  }
  return { corpus, agent, baseline };
}

/**
 * Type-checks the generated corpus with the native TypeScript 7 compiler the project uses and,
 * when TS59_TSC points at a TypeScript 5.9 tsc, with that one too.
 */
function typecheckTimes(out: string): { ts7: number[]; ts59: number[] } {
  const tsconfig = path.join(work, 'tsconfig.check.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      compilerOptions: {
        // The runtime's sources are checked with the corpus (through `paths`): the project's own lib.
        target: 'ES2022',
        lib: ['ES2023'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [path.join(root, 'node_modules/@types')],
        paths: {
          schemantic: [path.join(root, 'runtime/index.ts')],
          'schemantic/validators': [path.join(root, 'runtime/validators/index.ts')],
          'schemantic/define': [path.join(root, 'runtime/define.ts')],
        },
      },
      include: [`${out}/**/*.ts`],
    }),
  );
  const run = (tsc: string): number => {
    const start = performance.now();
    execFileSync(process.execPath, [tsc, '-p', tsconfig], { stdio: 'inherit' });
    return performance.now() - start;
  };
  const ts7: number[] = [];
  const ts59: number[] = [];
  const other = process.env['TS59_TSC'];
  for (let i = 0; i < reps; i++) {
    ts7.push(run(path.join(root, 'node_modules/typescript/bin/tsc')));
    if (other) ts59.push(run(other));
  }
  return { ts7, ts59 };
}

async function main(): Promise<void> {
  if (!existsSync(path.join(root, 'codegen/dist/cli/main.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const baml = bamlCli();
  const schemas = path.join(work, 'schemas');
  const out = path.join(work, 'generated');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // An ESM package, as a project using Schemantic is: tsc then emits ES modules.
  writeFileSync(path.join(work, 'package.json'), '{ "type": "module" }\n');
  rmSync(schemas, { recursive: true, force: true });
  writeCorpus(schemas, schemanticCorpus());
  if (baml) {
    rmSync(path.join(work, 'baml_src'), { recursive: true, force: true });
    writeCorpus(path.join(work, 'baml_src'), bamlCorpus(undefined, baml.version));
  }
  console.log(`corpus: 200 agents, 400 tools, 200 types in ${work}; ${reps} repetitions; node ${process.version}; ${os.cpus().length} cores`);
  if (!baml) console.log('BAML not installed (npm i --no-save @boundaryml/baml): peer column skipped');

  const cold: { ms: number; mb: number }[] = [];
  const noop: { ms: number; mb: number }[] = [];
  const check: { ms: number; mb: number }[] = [];
  const edit: { ms: number; mb: number }[] = [];
  const bamlCold: { ms: number; mb: number }[] = [];
  const edited = path.join(schemas, 'team-07.yaml');
  const original = readFileSync(edited, 'utf8');
  // Deleting thousands of files keeps the file system busy and slows the writes that follow (even
  // after a sync), so every cold run writes a fresh folder; they are all removed at the end.
  const outs: string[] = [];
  for (let i = 0; i < reps; i++) {
    const fresh = `${out}-${i}`;
    outs.push(fresh);
    cold.push(timed(process.execPath, [bin, 'generate', '--schemas', schemas, '--out', fresh], work));
    noop.push(timed(process.execPath, [bin, 'generate', '--schemas', schemas, '--out', fresh], work));
    // A clean clone: the committed tree, copied (new files, new times), checked.
    const clone = `${fresh}-clone`;
    execFileSync('cp', ['-r', fresh, clone]);
    check.push(timed(process.execPath, [bin, 'generate', '--check', '--schemas', schemas, '--out', clone], work));
    rmSync(clone, { recursive: true, force: true });
    // One agent's instructions edited, then regenerated in a fresh process.
    writeFileSync(edited, original.replace('with task 70.', `with task 70 (edit ${i}).`));
    edit.push(timed(process.execPath, [bin, 'generate', '--schemas', schemas, '--out', fresh], work));
    writeFileSync(edited, original);
    if (baml) {
      rmSync(path.join(work, 'baml_client'), { recursive: true, force: true });
      bamlCold.push(timed(baml.bin, ['generate', '--from', 'baml_src'], work));
    }
  }
  execFileSync('cp', ['-r', outs[0]!, out]);
  for (const dir of outs) rmSync(dir, { recursive: true, force: true });
  const edits = await watchEdits(schemas, out);
  const imports = importTimes(out);
  const typecheck = typecheckTimes(out);

  const row = (name: string, value: string, peer = '', ratio = '') => console.log(`| ${name} | ${value} | ${peer} | ${ratio} |`);
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  console.log('\n| measure | Schemantic | BAML | ratio |\n|---|---|---|---|');
  const coldMs = median(cold.map((r) => r.ms));
  const bamlMs = baml ? median(bamlCold.map((r) => r.ms)) : NaN;
  row('cold generate (fresh process, empty output)', ms(coldMs), baml ? ms(bamlMs) : 'n/a', baml ? `${(coldMs / bamlMs).toFixed(2)}x` : '');
  const vs = (value: number, base: number) => (Number.isNaN(base) ? '' : `${(value / base).toFixed(2)}x`);
  const noopMs = median(noop.map((r) => r.ms));
  const checkMs = median(check.map((r) => r.ms));
  const editMs = median(edit.map((r) => r.ms));
  row('no-op regenerate (fresh process)', ms(noopMs), '', vs(noopMs, bamlMs));
  row('generate --check, clean copy of the committed tree', ms(checkMs), '', vs(checkMs, bamlMs));
  row('one edited file regenerated (fresh process)', ms(editMs), '', vs(editMs, bamlMs));
  console.log('\n| against our own cold generate | ratio |\n|---|---|');
  console.log(`| no-op regenerate | ${vs(noopMs, coldMs)} |`);
  console.log(`| generate --check, clean copy | ${vs(checkMs, coldMs)} |`);
  console.log(`| one edited file | ${vs(editMs, coldMs)} |`);
  console.log('\n| (cont.) | Schemantic | BAML | ratio |\n|---|---|---|---|');
  row('watch: one edited file, run time', ms(median(edits.runMs)));
  row('watch: one edited file, write-to-output latency', ms(median(edits.latencyMs)));
  row('peak memory, cold generate', `${median(cold.map((r) => r.mb)).toFixed(0)} MB`, baml ? `${median(bamlCold.map((r) => r.mb)).toFixed(0)} MB` : 'n/a');
  row('import the whole generated corpus (index.js)', `${median(imports.corpus).toFixed(1)} ms`);
  row('import one agent module', `${median(imports.agent).toFixed(1)} ms`);
  row('(for scale: import an empty module, Node alone)', `${median(imports.baseline).toFixed(1)} ms`);
  console.log('\n| type-check of the generated corpus (tsc --strict) | TypeScript 7 (native) | TypeScript 5.9 | ratio |\n|---|---|---|---|');
  const ts7 = median(typecheck.ts7);
  const ts59 = typecheck.ts59.length ? median(typecheck.ts59) : NaN;
  row(
    'all generated files',
    ms(ts7),
    Number.isNaN(ts59) ? 'set TS59_TSC to measure' : ms(ts59),
    Number.isNaN(ts59) ? '' : `${(ts59 / ts7).toFixed(1)}x faster`,
  );
  rmSync(work, { recursive: true, force: true });
}

await main();
