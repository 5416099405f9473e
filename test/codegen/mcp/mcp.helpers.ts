/**
 * What the tests of `schemantic pull --mcp` and of generated MCP modules share: a throw-away
 * project (its `node_modules` a link to the repository's, so that a server's command line reads
 * as in a real project), the command line run in it, the reference server over streamable HTTP on
 * 127.0.0.1, and generating a project's definitions into a folder of its own.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../../codegen/cli/main.js';
import { folderReader } from '../../../codegen/compiler/load.js';
import { runPipeline } from '../../../codegen/targets/typescript/pipeline.js';
import { captureIo } from '../../helpers/io.js';

export const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The reference server's entry point, as a project that installed it names it. */
export const EVERYTHING = 'node_modules/@modelcontextprotocol/server-everything/dist/index.js';

/** The fixture server whose tool drifts with DRIFT (see the fixture). */
export const DRIFT_SERVER = fileURLToPath(new URL('./fixtures/drift-server.mjs', import.meta.url));

/** A throw-away project: `package.json` (ES modules), `schemas/`, and `node_modules` linked to the repository's. */
export function tempProject(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'schemantic-mcp-'));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(path.join(dir, 'schemas'));
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the command line in `cwd`: its exit code and what it printed. */
export async function cli(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const io = captureIo();
  const code = await main(args, io, cwd);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** Generates the definitions of `project` (its `schemas/`) into `<project>/generated`, and returns that folder. */
export async function generateInto(project: string): Promise<string> {
  const result = await runPipeline({ reader: folderReader(path.join(project, 'schemas')), displayPrefix: 'schemas' });
  if (result.problems.some((p) => p.severity === 'error'))
    throw new Error(result.problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.code} ${p.message}`).join('\n'));
  const out = path.join(project, 'generated');
  for (const [file, text] of result.files) {
    mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
    writeFileSync(path.join(out, file), text);
  }
  return out;
}

// The reference server over HTTP, as the runtime's MCP tests start it.
export { freePort, startEverythingHttp } from '../../runtime/mcp/mcp.helpers.js';
