/**
 * npm run bench:diff — `schemantic diff` on the shipped examples and on the 200-agent corpus of
 * the codegen benchmark, against the approach teams use today: hash each tool's and agent's
 * schemas in both revisions and compare the hashes (which says "changed", never what or whom it
 * breaks, and misses changes in shared types reached through `$ref`).
 *
 * The corpus is written twice (old, new) with five edits in the new copy: an enum value added to
 * a shared type (reached by tools and agents), a required parameter added, a returned field made
 * optional, a description and an instructions sentence changed. Both sides are also committed to
 * a temporary git repository, to time `--against HEAD~1` (read through git, nothing checked out).
 *
 * Reports wall time of the command as a user runs it (`node codegen/bin/schemantic.js diff`, Node's
 * start-up included) and the in-process time of the comparison, medians of interleaved
 * repetitions. Not a test: nothing here asserts a time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { main } from '../codegen/cli/main.js';
import { schemanticCorpus, writeCorpus } from './corpus.js';
import { benchReps, median, ROOT as root } from './stats.js';

const reps = benchReps(7);

/** The five edits, applied to the corpus's text. */
function edited(files: Record<string, string>): Record<string, string> {
  const out = { ...files };
  const swap = (file: string, from: string, to: string) => {
    if (!out[file]!.includes(from)) throw new Error(`bench edit: ${from} not in ${file}`);
    out[file] = out[file]!.replace(from, to);
  };
  swap('team-00.yaml', 'status: { enum: [draft, active, archived] }', 'status: { enum: [draft, active, archived, deleted] }');
  swap('team-03.yaml', '      required: [query]\n', '      required: [query, mode]\n');
  swap('team-05.yaml', '    required: [id, label, status]\n', '    required: [id, label]\n');
  swap('team-07.yaml', 'description: Looks something up (tool 140).', 'description: Looks something up quickly (tool 140).');
  swap('team-09.yaml', 'Use the tools, then answer.', 'Use the tools, then answer briefly.');
  return out;
}

/** Today's approach: a hash per tool and agent (its schemas as written), compared by name. */
function hashCompare(oldDir: string, newDir: string): string[] {
  const hashes = (dir: string) => {
    const map = new Map<string, string>();
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      const doc = parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, Record<string, unknown> | undefined>;
      for (const section of ['tools', 'agents'] as const) {
        for (const [name, entry] of Object.entries(doc[section] ?? {}))
          map.set(`${section}/${name}`, createHash('sha256').update(JSON.stringify(entry)).digest('hex'));
      }
    }
    return map;
  };
  const a = hashes(oldDir);
  const b = hashes(newDir);
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}

function cli(args: string[], cwd: string): { ms: number; code: number | null; out: string } {
  const start = performance.now();
  const r = spawnSync(process.execPath, [path.join(root, 'codegen/bin/schemantic.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { ms: performance.now() - start, code: r.status, out: r.stdout };
}

async function inProcess(args: string[], cwd: string): Promise<{ ms: number; out: string[] }> {
  const out: string[] = [];
  const io = { out: (l: string) => out.push(l), err: () => undefined, color: false };
  const start = performance.now();
  await main(args, io, cwd);
  return { ms: performance.now() - start, out };
}

async function run(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'schemantic-bench-diff-'));
  try {
    const corpus = schemanticCorpus();
    writeCorpus(path.join(work, 'old'), corpus);
    writeCorpus(path.join(work, 'schemas'), edited(corpus));
    // The same two states as two commits, for --against HEAD~1.
    const repo = path.join(work, 'repo');
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com' },
      });
    writeCorpus(path.join(repo, 'schemas'), corpus);
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'old');
    writeCorpus(path.join(repo, 'schemas'), edited(corpus));
    git('commit', '-qam', 'new');
    // The shipped examples, compared with themselves (a clean tree: the common CI case).
    const examples = path.join(work, 'examples');
    cpSync(path.join(root, 'schemas'), path.join(examples, 'schemas'), { recursive: true });
    cpSync(path.join(root, 'schemas'), path.join(examples, 'old'), { recursive: true });

    // What each approach reports, before anything is timed.
    const json = await inProcess(['diff', '--against', 'old', '--format', 'json'], work);
    const report = JSON.parse(json.out.join('\n')) as { summary: Record<string, number>; findings: { subject: { name: string } }[] };
    const hashed = hashCompare(path.join(work, 'old'), path.join(work, 'schemas'));
    console.log(`node ${process.version}; ${os.cpus().length} cores; ${reps} interleaved repetitions; wall milliseconds, medians\n`);
    console.log(
      `schemantic diff on the corpus: ${JSON.stringify(report.summary)} over ${new Set(report.findings.map((f) => f.subject.name)).size} tools and agents`,
    );
    console.log(`hash comparison on the corpus: ${hashed.length} entries changed (${hashed.join(', ')})\n`);

    const t = {
      examplesCli: [] as number[],
      corpusCli: [] as number[],
      gitCli: [] as number[],
      corpusIn: [] as number[],
      gitIn: [] as number[],
      hash: [] as number[],
    };
    for (let r = 0; r < reps + 1; r++) {
      const keep = r > 0; // the first round warms the disk cache and the in-process modules
      const e = cli(['diff', '--against', 'old'], examples);
      const c = cli(['diff', '--against', 'old'], work);
      const g = cli(['diff', '--against', 'HEAD~1'], repo);
      const ci = await inProcess(['diff', '--against', 'old'], work);
      const gi = await inProcess(['diff', '--against', 'HEAD~1'], repo);
      const hs = performance.now();
      hashCompare(path.join(work, 'old'), path.join(work, 'schemas'));
      const h = performance.now() - hs;
      if (e.code !== 0 || c.code !== 1 || g.code !== 1) throw new Error(`unexpected exit codes ${e.code} ${c.code} ${g.code}`);
      if (!keep) continue;
      t.examplesCli.push(e.ms);
      t.corpusCli.push(c.ms);
      t.gitCli.push(g.ms);
      t.corpusIn.push(ci.ms);
      t.gitIn.push(gi.ms);
      t.hash.push(h);
    }
    const f = (v: number[]) => `${median(v).toFixed(0)} ms`;
    console.log('| what | time |\n|---|---|');
    console.log(`| shipped examples (7 files), \`schemantic diff --against DIR\`, whole command | ${f(t.examplesCli)} |`);
    console.log(`| 200-agent corpus (20 files), \`--against DIR\`, whole command | ${f(t.corpusCli)} |`);
    console.log(`| 200-agent corpus, \`--against HEAD~1\` (read through git), whole command | ${f(t.gitCli)} |`);
    console.log(`| 200-agent corpus, \`--against DIR\`, in process (no Node start-up) | ${f(t.corpusIn)} |`);
    console.log(`| 200-agent corpus, \`--against HEAD~1\`, in process | ${f(t.gitIn)} |`);
    console.log(`| 200-agent corpus, hash per tool and agent, compared (today's approach), in process | ${f(t.hash)} |`);
    console.log(`\nschemantic diff / hash comparison (in process, folder): ${(median(t.corpusIn) / median(t.hash)).toFixed(1)}x`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await run();
