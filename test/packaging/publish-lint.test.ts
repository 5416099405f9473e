/**
 * The packed packages as a registry would publish them, checked by the tools users and registries
 * trust: publint (package.json fields against the files actually shipped) and Are the Types Wrong
 * (@arethetypeswrong/cli: how TypeScript and Node resolve every entry point). Both packages are
 * ES modules only, so attw runs with its `esm-only` profile (a `require()` from CommonJS and the
 * legacy `node10` resolution are out of scope); every other problem fails the test.
 *
 * Also what the manifests promise beyond those tools: no `prepare` script (it would run on a git
 * install of the package), and source maps and declaration maps for all shipped code, with every
 * source they name shipped too (go-to-definition and stack traces land in real TypeScript).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, packPackages, readFromTarball, root, type Packed } from './helpers.js';

let work: string;
let packed: Packed;

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'schemantic-publish-lint-'));
  packed = await packPackages(work);
}, 120_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** The runtime's public subpaths, from the one list (runtime/entry-points.json). */
const runtimeSubpaths = (JSON.parse(readFileSync(path.join(root, 'runtime/entry-points.json'), 'utf8')) as { entries: { specifier: string }[] }).entries.map(
  (e) => (e.specifier === 'schemantic' ? '.' : `./${e.specifier.slice('schemantic/'.length)}`),
);

const packages = [
  { label: 'schemantic', tarball: () => packed.runtime, subpaths: [...runtimeSubpaths, './package.json'] },
  {
    label: '@schemantic/cli',
    tarball: () => packed.cli,
    subpaths: ['.', './meta/definitions.schema.json', './meta/config.schema.json', './meta/eval-dataset.schema.json', './package.json'],
  },
];

/** Files of a package, relative to its root, after extracting the tarball. */
function extract(tarball: string): { dir: string; files: string[] } {
  const dir = path.join(work, `x-${path.basename(tarball, '.tgz')}`);
  if (!existsSync(dir)) {
    mkdirSync(dir);
    const result = spawnSync('tar', ['-xzf', tarball, '-C', dir], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`tar: ${result.stderr}`);
  }
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(path.relative(path.join(dir, 'package'), full).split(path.sep).join('/'));
    }
  };
  walk(path.join(dir, 'package'));
  return { dir: path.join(dir, 'package'), files: files.sort() };
}

interface AttwResolution {
  resolution?: { fileName: string; isJson: boolean; isTypeScript: boolean };
  implementationResolution?: { fileName: string };
}

interface AttwReport {
  analysis: {
    packageName: string;
    types: { kind: string };
    entrypoints: Record<string, { resolutions: Record<string, AttwResolution> }>;
    problems: { kind: string; entrypoint?: string; resolutionKind?: string }[];
  };
}

describe.each(packages)('$label as packed', ({ label, tarball, subpaths }) => {
  it('passes publint with no errors or warnings', async () => {
    const bytes = new Uint8Array(readFileSync(tarball()));
    // strict: warnings count as errors.
    const { messages, pkg } = await publint({ pack: { tarball: bytes.buffer }, level: 'warning', strict: true });
    expect((pkg as { name: string }).name).toBe(label);
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`)).toEqual([]);
  });

  it('passes Are the Types Wrong (esm-only): every entry point resolves to its declarations and code', async () => {
    const attw = path.join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js');
    // --no-definitely-typed: nothing is fetched for @types; the tarball is read locally.
    // Its report goes to a file: attw exits right after writing it, which cuts off a long report
    // written to a pipe (a pipe is written asynchronously; a file is not).
    const reportFile = path.join(work, `attw-${label.replace('/', '-')}.json`);
    const fd = openSync(reportFile, 'w');
    const child = spawnSync(process.execPath, [attw, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'json', tarball()], {
      cwd: work,
      env: cleanEnv(),
      stdio: ['ignore', fd, 'pipe'],
      encoding: 'utf8',
    });
    closeSync(fd);
    const result = { status: child.status, stderr: child.stderr };
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as AttwReport;
    expect(report.analysis.packageName).toBe(label);
    expect(report.analysis.types.kind).toBe('included');
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual([...subpaths].sort());
    // The esm-only profile ignores the CommonJS (node16-cjs) and legacy (node10) resolutions; anything else is a problem.
    const problems = report.analysis.problems.filter((p) => p.resolutionKind !== 'node16-cjs' && p.resolutionKind !== 'node10');
    expect(problems).toEqual([]);
    expect(result.status, result.stderr).toBe(0);

    const files = new Set(extract(tarball()).files);
    const inPackage = (fileName: string) => fileName.replace(`/node_modules/${label}/`, '');
    for (const subpath of subpaths) {
      for (const kind of ['node16-esm', 'bundler']) {
        const resolved = report.analysis.entrypoints[subpath]!.resolutions[kind]!;
        const types = inPackage(resolved.resolution!.fileName);
        expect(files.has(types), `${subpath} (${kind}) types at ${types}`).toBe(true);
        if (resolved.resolution!.isJson) continue;
        expect(types, `${subpath} (${kind})`).toMatch(/^dist\/.*\.d\.ts$/);
        if (kind === 'node16-esm') expect(inPackage(resolved.implementationResolution!.fileName), `${subpath} code`).toMatch(/^dist\/.*\.js$/);
      }
    }
  }, 60_000);

  it('has no prepare script in its published manifest', () => {
    const manifest = JSON.parse(readFromTarball(tarball(), 'package/package.json')) as { scripts?: Record<string, string> };
    expect(manifest.scripts?.['prepare']).toBeUndefined();
  });

  it('ships source maps and declaration maps for all its code, and every source they name', () => {
    const { dir, files } = extract(tarball());
    const shipped = new Set(files);
    const code = files.filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
    const declarations = files.filter((f) => f.startsWith('dist/') && f.endsWith('.d.ts'));
    expect(code.length).toBeGreaterThan(0);
    expect(declarations.length).toBeGreaterThan(0);
    // Except the history validator's chunk: generated code, with no source of its own to lead to.
    expect(
      code.filter((f) => !shipped.has(`${f}.map`)),
      'JavaScript without a .js.map',
    ).toEqual(code.filter((f) => /^dist\/chunks\/messages-validator-[^/]+\.js$/.test(f)));
    // A declaration's map is a .d.ts.map beside it, or inside it as a data: URL (the runtime's).
    const inlineMap = (file: string): string | undefined => {
      // With the charset: TypeScript's language service reads a data: URL map only in that form.
      const match = /\/\/# sourceMappingURL=data:application\/json;charset=utf-8;base64,([A-Za-z0-9+/=]+)\s*$/.exec(readFileSync(path.join(dir, file), 'utf8'));
      return match ? Buffer.from(match[1]!, 'base64').toString('utf8') : undefined;
    };
    expect(
      declarations.filter((f) => !shipped.has(`${f}.map`) && inlineMap(f) === undefined),
      'declarations without a declaration map',
    ).toEqual([]);

    const missing = new Set<string>();
    const named = new Set<string>();
    const maps = [
      ...files.filter((f) => f.endsWith('.map')).map((f) => ({ map: f, text: readFileSync(path.join(dir, f), 'utf8') })),
      ...declarations.flatMap((f) => {
        const text = inlineMap(f);
        return text === undefined ? [] : [{ map: f, text }];
      }),
    ];
    for (const { map, text } of maps) {
      const { sources, sourceRoot } = JSON.parse(text) as { sources: string[]; sourceRoot?: string };
      for (const source of sources) {
        const file = path.posix.normalize(path.posix.join(path.posix.dirname(map), sourceRoot ?? '', source));
        named.add(file);
        if (!shipped.has(file)) missing.add(`${file} (named by ${map})`);
      }
    }
    expect([...missing]).toEqual([]);
    // The maps lead to the TypeScript sources, not to other generated code.
    expect([...named].filter((f) => f.endsWith('.ts')).length).toBeGreaterThan(10);
    expect([...named].filter((f) => f.startsWith('dist/'))).toEqual([]);
  });
});

describe('the packed runtime', () => {
  it('exports exactly the entry points of runtime/entry-points.json', () => {
    const manifest = JSON.parse(readFromTarball(packed.runtime, 'package/package.json')) as { exports: Record<string, unknown> };
    expect(Object.keys(manifest.exports).sort()).toEqual([...runtimeSubpaths, './package.json'].sort());
  });
});
