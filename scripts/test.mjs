/**
 * `npm test`: formatting, the whole suite on this machine's Node, the import rules, then the smoke subset
 * (vitest.smoke.config.ts) on Node 22 and 24 with openai 7 (the suite itself covers openai 6). The other Node versions come from the npm
 * cache as the `node` package (.ci/run puts them there; `npx -y -p node@22 node -v` does it by
 * hand); a version missing from the cache is reported and fails the run, never downloaded here.
 *
 *   npm test                      all of it (starting the suite's PostgreSQL: scripts/test-postgres.sh)
 *   npm test -- --only-current    just the suite on this Node (what a quick local run wants)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = `${root}node_modules/vitest/vitest.mjs`;
const onlyCurrent = process.argv.includes('--only-current');

function run(label, command, args, env = {}) {
  process.stdout.write(`\n== ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    process.stdout.write(`\n== ${label}: failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status ?? 1);
  }
}

run('formatting (prettier --check)', 'npm', ['run', '--silent', 'format:check']);
// The suite's PostgreSQL (durable runs): started here unless the caller points at a server of its
// own, so that `npm test` is the one command on a fresh clone (.ci/run starts it the same way).
if (!process.env.SCHEMANTIC_TEST_DATABASE_URL) {
  process.stdout.write('\n== PostgreSQL for the suite (scripts/test-postgres.sh)\n');
  const started = spawnSync('bash', [`${root}scripts/test-postgres.sh`, 'start'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (started.status === 0) process.env.SCHEMANTIC_TEST_DATABASE_URL = started.stdout.trim().split('\n').at(-1);
  else process.stdout.write('PostgreSQL did not start: the tests that need it will say so\n');
}
run(`suite on Node ${process.versions.node}`, process.execPath, [vitest, 'run']);
if (!onlyCurrent) {
  // dependency-cruiser needs Node 22: no import cycles, arrows one way (.dependency-cruiser.cjs).
  run('import rules (Node 22)', 'npx', [
    '--offline',
    '-y',
    '-p',
    'node@22',
    'node',
    `${root}node_modules/dependency-cruiser/bin/dependency-cruiser.mjs`,
    '--config',
    '.dependency-cruiser.cjs',
    'runtime',
    'codegen',
  ]);
  for (const [major, sdk] of [
    ['22', '7'],
    ['24', '7'],
  ]) {
    const cached = spawnSync('npx', ['--offline', '-y', '-p', `node@${major}`, 'node', '--version'], { cwd: root, encoding: 'utf8' });
    if (cached.status !== 0) {
      process.stdout.write(
        `\n== Node ${major} is not in the npm cache: run \`npx -y -p node@${major} node --version\` once (it downloads from the npm registry), or \`npm test -- --only-current\` to skip the other Node versions\n`,
      );
      process.exit(1);
    }
    run(
      `smoke on Node ${major} (openai ${sdk})`,
      'npx',
      ['--offline', '-y', '-p', `node@${major}`, 'node', vitest, 'run', '--config', 'vitest.smoke.config.ts'],
      { SCHEMANTIC_OPENAI_SDK: sdk },
    );
  }
}
