/**
 * All generated output (the committed generated/ and every fixture snapshot) type-checks under
 * `tsc --strict` in one program, together with the runtime it imports. Uses the native
 * TypeScript 7 compiler (typescript@7), which checks this program in well under a second here.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

describe('type-check', () => {
  it('compiles every generated file under strict mode with no errors', () => {
    const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit', '--listFilesOnly'], {
      cwd: root,
      encoding: 'utf8',
    });
    const listed = result.stdout.split('\n').map((f) => path.relative(root, f));
    expect(listed).toContain('generated/agents/weather.ts');
    expect(listed).toContain('test/codegen/__snapshots__/hostile/agents/constructor.ts');
    // Every output form README.md documents (issue 10), and property names that are Object.prototype's own.
    expect(listed).toContain('test/codegen/__snapshots__/outputs/agents/echo.ts');
    expect(listed).toContain('test/codegen/__snapshots__/keys/types/defs.ts');
    expect(listed).toContain('generated/validators/tools/get-lat-lng.d.ts');

    const check = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'], { cwd: root, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
