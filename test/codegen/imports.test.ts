/**
 * Importing one agent's module loads only what that agent needs (its tools and validators, the
 * runtime), not the rest of the generated corpus. Checked by running the real module in Node
 * with a resolve hook that records every module loaded.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** The project's modules (not packages) loaded by running `code` (an ES module body) under tsx. */
async function loadedModules(entry: string, then = ''): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'schemantic-imports-'));
  const log = path.join(dir, 'imports.log');
  try {
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        './test/helpers/record-imports.mjs',
        '--input-type=module',
        '-e',
        `const module = await import(${JSON.stringify(entry)});\n${then}`,
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, IMPORT_LOG: log } },
    );
    expect(result.stderr).toBe('');
    const urls = (await readFile(log, 'utf8')).split('\n').filter((u) => u.startsWith(`file://${root}/`));
    return [...new Set(urls.map((u) => u.slice(`file://${root}/`.length)))].filter((f) => !f.startsWith('node_modules/')).sort();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('import isolation', () => {
  it('an agent module loads its own tools and nothing else of the corpus; validators wait for the first run', async () => {
    const loaded = await loadedModules('./generated/agents/weather.ts');
    expect(loaded.filter((f) => f.startsWith('generated/'))).toEqual([
      'generated/agents/weather.ts',
      'generated/tools/get-lat-lng.ts',
      'generated/tools/get-weather.ts',
    ]);
    // tsx follows tsconfig paths to the runtime's sources: the small entry (schemantic/define), and
    // not the run machinery, which loads on the first run.
    expect(loaded).toContain('runtime/define.ts');
    expect(loaded).not.toContain('runtime/agent/agent.ts');
  });

  it('the first run loads the validators of the agent, its tools and the types they use', async () => {
    const run = `
      const { TestModel } = await import('schemantic/testing');
      const agent = module.createWeatherAgent({ tools: { getLatLng: () => ({ lat: 1, lng: 2 }), getWeather: () => ({ temperature: '20 °C', description: 'Sunny' }) } });
      await agent.run('Weather?', { model: new TestModel(), context: { user_name: 'Ann' } });
    `;
    const loaded = await loadedModules('./generated/agents/weather.ts', run);
    expect(loaded.filter((f) => f.startsWith('generated/validators/'))).toEqual([
      'generated/validators/agents/weather.js',
      'generated/validators/tools/get-lat-lng.js',
      'generated/validators/tools/get-weather.js',
      'generated/validators/types/lat-lng.js',
      'generated/validators/types/weather-report.js',
    ]);
  });

  it('a delegating agent also loads the agents it delegates to', async () => {
    const loaded = (await loadedModules('./generated/agents/flight-booking.ts')).filter((f) => f.startsWith('generated/agents/'));
    expect(loaded).toEqual(['generated/agents/flight-booking.ts', 'generated/agents/flight-search.ts', 'generated/agents/seat-preference.ts']);
  });
});
