/**
 * The definitions folder as it was at a git revision, read without checking anything out: the
 * file list from `git ls-tree`, the texts from one `git cat-file --batch` process (one process
 * for the whole folder, not one per file).
 */
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { isDefinitionPath, type SourceReader } from '../compiler/load.js';

const run = promisify(execFile);

/** A failure to read a revision, said in one line (no such revision, not a repository, no git). */
export class GitReadError extends Error {
  override name = 'GitReadError';
}

/**
 * A reader over `schemasAbs` (a folder of the working tree) as it was at `ref`. Rejects with a
 * {@link GitReadError} when the folder is not in a repository or the revision does not exist.
 * Resolves with the commit the revision names, and the reader.
 */
export async function gitReader(schemasAbs: string, ref: string): Promise<{ commit: string; reader: SourceReader; files: number }> {
  // A revision is passed to git as an argument; one that starts with a dash would be read as an option.
  if (ref.startsWith('-') || ref.includes('\0')) throw new GitReadError(`"${ref}" is not a revision`);
  const top = (await git(path.dirname(schemasAbs), ['rev-parse', '--show-toplevel'])).trim();
  const commit = (await git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => '')).trim();
  if (!commit) throw new GitReadError(`unknown revision "${ref}" (try a branch, a tag, a commit, or HEAD~1)`);
  const prefix = path.relative(top, schemasAbs).split(path.sep).join('/');
  if (prefix.startsWith('..')) throw new GitReadError(`${schemasAbs} is outside the repository at ${top}`);
  const listed = await git(top, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit, '--', prefix === '' ? '.' : prefix]);
  const paths = new Map<string, string>();
  for (const full of listed.split('\0')) {
    if (full === '') continue;
    const rel = prefix === '' ? full : full.slice(prefix.length + 1);
    const segments = rel.split('/');
    if (segments[0] === 'meta' || segments.some((s) => s.startsWith('.') || s === 'node_modules') || !isDefinitionPath(rel)) continue;
    paths.set(rel, full);
  }
  const texts = paths.size > 0 ? await catFiles(top, commit, [...paths.values()]) : new Map<string, string>();
  const reader: SourceReader = {
    list: () => Promise.resolve([...paths.keys()].sort()),
    read: (rel) => {
      const text = texts.get(paths.get(rel) ?? '');
      return text === undefined ? Promise.reject(new Error(`${rel} is not in ${ref}`)) : Promise.resolve(text);
    },
  };
  return { commit, reader, files: paths.size };
}

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new GitReadError('git is not installed (or not on PATH): compare against a folder instead');
    if (/not a git repository/i.test(e.stderr ?? '')) throw new GitReadError(`${cwd} is not in a git repository: compare against a folder instead`);
    throw new GitReadError(`git ${args[0]} failed: ${(e.stderr ?? e.message).trim().split('\n')[0]}`);
  }
}

/** The texts of `paths` at `commit`, through one `git cat-file --batch`. */
function catFiles(cwd: string, commit: string, paths: string[]): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (err) => reject(new GitReadError(`git cat-file failed: ${err.message}`)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new GitReadError(`git cat-file failed: ${stderr.trim() || `exit ${code}`}`));
      try {
        resolve(parseBatch(Buffer.concat(chunks), paths));
      } catch (err) {
        reject(err);
      }
    });
    child.stdin.end(paths.map((p) => `${commit}:${p}\n`).join(''));
  });
}

/** Splits `git cat-file --batch` output (`<oid> <type> <size>\n<content>\n` per object) back into texts. */
function parseBatch(out: Buffer, paths: string[]): Map<string, string> {
  const texts = new Map<string, string>();
  let at = 0;
  for (const p of paths) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) throw new GitReadError('git cat-file ended early');
    const header = out.subarray(at, eol).toString('utf8');
    at = eol + 1;
    const size = /^[0-9a-f]+ blob (\d+)$/.exec(header);
    if (!size) continue; // `missing` (a submodule or a race): the file is left out, as if absent
    const length = Number(size[1]);
    texts.set(p, out.subarray(at, at + length).toString('utf8'));
    at += length + 1;
  }
  return texts;
}
