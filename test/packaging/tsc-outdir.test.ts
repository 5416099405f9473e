/**
 * Generated code after a plain `tsc` to an outDir, the build many apps use: with `allowJs` (the
 * README's recipe) tsc copies the generated validator modules and the agent runs from the output;
 * without it the first run fails with a UserError that names the fix, not a bare "regenerate".
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const APP = `
import { createWeatherAgent } from './generated/agents/weather.js';

const agent = createWeatherAgent({
  tools: {
    getLatLng: async () => ({ lat: 51.5, lng: -0.1 }),
    getWeather: async () => ({ temperature: '21 °C', description: 'Sunny' }),
  },
});
try {
  const result = await agent.run('Weather in London?', { model: 'test', context: { user_name: 'Ann' } });
  console.log(JSON.stringify({ output: result.output }));
} catch (error) {
  console.log(JSON.stringify({ error: (error as Error).name, message: (error as Error).message }));
}
`;

/** A project holding a copy of generated/ and the app, built by tsc with the given options. */
function build(allowJs: boolean): { tsc: ReturnType<typeof spawnSync>; run: () => Record<string, string> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'schemantic-outdir-'));
  dirs.push(dir);
  cpSync(path.join(root, 'generated'), path.join(dir, 'src/generated'), { recursive: true });
  writeFileSync(path.join(dir, 'src/app.ts'), APP);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  mkdirSync(path.join(dir, 'node_modules'));
  // The built runtime package, as an installed dependency would be.
  symlinkSync(path.join(root, 'runtime'), path.join(dir, 'node_modules/schemantic'));
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: true,
    rootDir: 'src',
    outDir: 'dist',
    types: [],
    ...(allowJs ? { allowJs: true } : {}),
  };
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }));
  const compiled = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
  return {
    tsc: compiled,
    run: () => JSON.parse(spawnSync(process.execPath, [path.join(dir, 'dist/app.js')], { encoding: 'utf8' }).stdout) as Record<string, string>,
  };
}

describe('generated code compiled by tsc to an outDir', () => {
  it('runs from the output with allowJs, which copies the validator modules', () => {
    const built = build(true);
    expect(built.tsc.stdout).toBe('');
    expect(built.tsc.status).toBe(0);
    const output = JSON.parse(built.run()['output']!) as Record<string, unknown>;
    expect(output).toEqual({ get_lat_lng: { lat: 51.5, lng: -0.1 }, get_weather: { temperature: '21 °C', description: 'Sunny' } });
  });

  it('without allowJs, fails the run with a UserError that names the fix', () => {
    const built = build(false);
    expect(built.tsc.status).toBe(0);
    const report = built.run();
    expect(report['error']).toBe('UserError');
    expect(report['message']).toContain('when you compile with tsc to an outDir, set "allowJs": true');
  });
});
