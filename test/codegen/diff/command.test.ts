/**
 * `schemantic diff` as a command: against a git revision (a temporary repository with two
 * commits, read without checking out), against a folder or a checkout, its three formats, exit
 * codes and --fail-on, config overrides, locations in both revisions, and bad input.
 */
import { execFileSync } from 'node:child_process';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../codegen/cli/main.js';
import { captureIo } from '../../helpers/io.js';
import { useTempProject } from '../../helpers/fs.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

let cwd: string;
const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
const weather = () => readFile(path.join(cwd, 'schemas/weather.yaml'), 'utf8');
const edit = async (file: string, from: string, to: string) => {
  const full = path.join(cwd, 'schemas', file);
  const text = await readFile(full, 'utf8');
  if (!text.includes(from)) throw new Error(`test edit: ${from} not in ${file}`);
  await writeFile(full, text.replace(from, to));
};

useTempProject('schemantic-diff-', path.join(root, 'schemas'), (dir) => {
  cwd = dir;
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
});

/** A required parameter added to get_weather, and a sentence of the weather instructions changed. */
async function breakWeather(): Promise<void> {
  await edit(
    'weather.yaml',
    "      required: [lat, lng]\n      additionalProperties: false\n    returns: { $ref: '#/types/WeatherReport' }",
    "      required: [lat, lng, units]\n      additionalProperties: false\n    returns: { $ref: '#/types/WeatherReport' }",
  );
  await edit(
    'weather.yaml',
    '        lng: { type: number, minimum: -180, maximum: 180, description: Longitude of the location. }',
    '        lng: { type: number, minimum: -180, maximum: 180, description: Longitude of the location. }\n        units: { enum: [metric, imperial] }',
  );
  await edit('weather.yaml', 'reply with one sentence.', 'reply with two sentences.');
}

describe('schemantic diff against git', () => {
  it('compares the working tree with HEAD by default: nothing changed, exit 0', async () => {
    const io = captureIo();
    expect(await main(['diff'], io, cwd)).toBe(0);
    expect(io.stdout.at(-1)).toMatch(/^schemantic diff: schemas\/ against HEAD \([0-9a-f]{12}\): no changes to the contracts \(\d+ ms\)$/);
  });

  it('reads an older commit without checking it out, and locates each change in both revisions', async () => {
    await breakWeather();
    git('commit', '-qam', 'second');
    const before = await weather();
    const io = captureIo();
    expect(await main(['diff', '--against', 'HEAD~1', '--format', 'json'], io, cwd)).toBe(1);
    const report = JSON.parse(io.stdout.join('\n')) as {
      against: string;
      commit: string;
      failed: boolean;
      summary: Record<string, number>;
      findings: Record<string, unknown>[];
    };
    expect(report.against).toBe('HEAD~1');
    expect(report.commit).toBe(git('rev-parse', 'HEAD~1').trim());
    expect(report.failed).toBe(true);
    expect(report.summary).toEqual({ breaking: 1, 'potentially-breaking': 0, behavioural: 1, safe: 0, ignored: 0 });
    const added = report.findings.find((f) => f['rule'] === 'property-added-required')!;
    expect(added).toMatchObject({ severity: 'breaking', subject: { kind: 'tool', name: 'get_weather' }, pointer: '/parameters/properties/units' });
    // Now: the new property's key; then: the parameters it is missing from, in the old revision.
    const lines = before.split('\n');
    const unitsLine = lines.findIndex((l) => l.includes('units: { enum')) + 1;
    expect(added['after']).toEqual({ file: 'schemas/weather.yaml', line: unitsLine, col: 9 });
    expect(added['before']).toMatchObject({ file: 'HEAD~1:schemas/weather.yaml' });
    const instructions = report.findings.find((f) => f['rule'] === 'instructions-changed')!;
    expect(instructions['text']).toMatchObject({ before: expect.stringContaining('one sentence'), after: expect.stringContaining('two sentences') });
    // The summary line goes to stderr, so that stdout is one JSON document.
    expect(io.stderr.at(-1)).toMatch(/: 1 breaking, 0 potentially breaking, 1 behavioural, 0 safe \(\d+ ms\); exit 1 \(--fail-on breaking\)$/);
    // Nothing was checked out: the working tree still has the new definitions.
    expect(await weather()).toBe(before);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('sees uncommitted edits, and says which revision it read', async () => {
    await breakWeather();
    const io = captureIo();
    expect(await main(['diff', '--against', 'main'], io, cwd)).toBe(1);
    const text = io.stdout.join('\n');
    expect(text).toContain('tool get_weather\n  breaking              property-added-required /parameters/properties/units');
    expect(text).toContain('required property "units" added: callers and stored histories do not send it');
    expect(text).toMatch(/was main:schemas\/weather\.yaml:\d+:\d+, now schemas\/weather\.yaml:\d+:9/);
    expect(text).toContain('| Be concise, reply with [-one sentence-]{+two sentences+}.');
    expect(io.stdout.at(-1)).toMatch(/against main \([0-9a-f]{12}\): 1 breaking, 0 potentially breaking, 1 behavioural, 0 safe/);
  });

  it('fails on what --fail-on (or the config) names, and passes otherwise', async () => {
    await edit('weather.yaml', 'reply with one sentence.', 'reply with two sentences.');
    expect(await main(['diff'], captureIo(), cwd)).toBe(0);
    expect(await main(['diff', '--fail-on', 'behavioural'], captureIo(), cwd)).toBe(1);
    await edit('weather.yaml', "    returns: { $ref: '#/types/WeatherReport' }", "    returns: { $ref: '#/types/LatLng' }");
    expect(await main(['diff'], captureIo(), cwd)).toBe(1);
    expect(await main(['diff', '--fail-on', 'never'], captureIo(), cwd)).toBe(0);
    await writeFile(path.join(cwd, 'schemantic.config.json'), JSON.stringify({ diff: { failOn: 'never' } }));
    expect(await main(['diff'], captureIo(), cwd)).toBe(0);
    // The flag wins over the config.
    expect(await main(['diff', '--fail-on', 'breaking'], captureIo(), cwd)).toBe(1);
  });

  it('says clearly when the revision does not exist, or there is no repository', async () => {
    const io = captureIo();
    expect(await main(['diff', '--against', 'no-such-branch'], io, cwd)).toBe(2);
    expect(io.stderr.at(-1)).toBe(
      'schemantic diff: --against no-such-branch: not a folder, and not a revision git can read: unknown revision "no-such-branch" (try a branch, a tag, a commit, or HEAD~1)',
    );
    const dashed = captureIo();
    expect(await main(['diff', '--against=--output=/tmp/x'], dashed, cwd)).toBe(2);
    expect(dashed.stderr.at(-1)).toContain('"--output=/tmp/x" is not a revision');
    await rm(path.join(cwd, '.git'), { recursive: true, force: true });
    const none = captureIo();
    expect(await main(['diff'], none, cwd)).toBe(2);
    expect(none.stderr.at(-1)).toMatch(/is not in a git repository: compare against a folder instead$/);
  });

  it('treats a revision without the definitions folder as empty: everything is added', async () => {
    await writeFile(path.join(cwd, 'README'), 'x');
    git('rm', '-rq', '--cached', 'schemas');
    git('add', 'README');
    git('commit', '-qm', 'no schemas');
    const io = captureIo();
    expect(await main(['diff', '--format', 'json'], io, cwd)).toBe(0);
    expect(io.stderr[0]).toBe('schemantic diff: no definitions under schemas/ at HEAD: every tool and agent counts as added');
    const report = JSON.parse(io.stdout.join('\n')) as { findings: { rule: string }[] };
    expect(new Set(report.findings.map((f) => f.rule))).toEqual(new Set(['agent-added', 'tool-added']));
  });
});

describe('schemantic diff against a folder', () => {
  it('compares with a folder of definitions, or a checkout holding one', async () => {
    await cp(path.join(cwd, 'schemas'), path.join(cwd, 'old/schemas'), { recursive: true });
    await breakWeather();
    for (const against of ['old', 'old/schemas']) {
      const io = captureIo();
      expect(await main(['diff', '--against', against, '--format', 'json'], io, cwd)).toBe(1);
      const report = JSON.parse(io.stdout.join('\n')) as { findings: { rule: string; before?: { file: string } }[] };
      expect(report.findings.map((f) => f.rule).sort()).toEqual(['instructions-changed', 'property-added-required']);
      expect(report.findings[0]!.before!.file).toBe('old/schemas/weather.yaml');
    }
  });

  it('stops, with the problems, when the working tree definitions are broken; notes broken old ones', async () => {
    await cp(path.join(cwd, 'schemas'), path.join(cwd, 'old'), { recursive: true });
    await edit('weather.yaml', 'tools: [get_lat_lng, get_weather]', 'tools: [get_lat_lng, get_wether]');
    const io = captureIo();
    expect(await main(['diff', '--against', 'old'], io, cwd)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/schemas\/weather\.yaml:\d+:\d+ error unknown-tool/);
    expect(io.stdout).toEqual([]);
    // The same mistake in the revision compared against is not the user's to fix now: noted, and compared.
    await cp(path.join(cwd, 'schemas/weather.yaml'), path.join(cwd, 'old/weather.yaml'));
    await edit('weather.yaml', 'tools: [get_lat_lng, get_wether]', 'tools: [get_lat_lng, get_weather]');
    const again = captureIo();
    expect(await main(['diff', '--against', 'old'], again, cwd)).toBe(0);
    expect(again.stderr.join('\n')).toContain('schemantic diff: the definitions at old/ have 1 error; entries with errors are left out of the comparison');
    // Its agent kept its valid tool only: the fixed list shows as a tool added.
    expect(again.stdout.join('\n')).toContain('potentially-breaking  agent-tool-added /tools');
  });
});

describe('schemantic diff output', () => {
  it('writes GitHub annotations: errors, warnings and notices at the definition, escaped', async () => {
    await breakWeather();
    await edit('weather.yaml', 'minimum: -90, maximum: 90, description: Latitude in degrees.', 'minimum: -80, maximum: 90, description: Latitude in degrees.');
    const io = captureIo();
    expect(await main(['diff', '--format', 'github'], io, cwd)).toBe(1);
    const annotations = io.stdout.filter((l) => l.startsWith('::'));
    expect(annotations.find((l) => l.startsWith('::error '))).toMatch(
      /^::error file=schemas\/weather\.yaml,line=\d+,col=9,title=property-added-required \(tool get_weather\)::\/parameters\/properties\/units: required property "units" added: callers and stored histories do not send it$/,
    );
    expect(annotations.find((l) => l.startsWith('::warning '))).toMatch(
      /^::warning file=schemas\/weather\.yaml,line=\d+,col=\d+,title=bound-tightened \(tool get_lat_lng\)::\/returns\/properties\/lat\/minimum: minimum changed from -90 to -80/,
    );
    // A text diff spans lines: newlines are escaped, so one annotation stays one command.
    const notice = annotations.find((l) => l.startsWith('::notice '))!;
    expect(notice).toContain('title=instructions-changed (agent weather)');
    expect(notice).not.toMatch(/\n/);
    expect(io.stdout.at(-1)).toMatch(/^schemantic diff: /);
  });

  it('colours the human report only when the terminal allows it', async () => {
    await breakWeather();
    const plain = captureIo();
    await main(['diff'], plain, cwd);
    expect(plain.stdout.join('\n')).not.toContain('\u001b[');
    const colored = { ...captureIo(), outColor: true };
    const lines: string[] = [];
    colored.out = (l) => lines.push(l);
    await main(['diff'], colored, cwd);
    expect(lines.join('\n')).toContain('\u001b[31mbreaking');
  });

  it('lists every rule with --rules, and explains itself with --help', async () => {
    const rules = captureIo();
    expect(await main(['diff', '--rules'], rules, cwd)).toBe(0);
    expect(rules.stdout.find((l) => l.startsWith('enum-value-added '))).toMatch(/^enum-value-added\s+safe\s+breaking\s+an allowed value was added to an enum$/);
    const help = captureIo();
    expect(await main(['diff', '--help'], help, cwd)).toBe(0);
    expect(help.stdout[0]).toContain('Usage: schemantic diff [--against REV|DIR]');
    const bad = captureIo();
    expect(await main(['diff', '--format', 'xml'], bad, cwd)).toBe(2);
    expect(bad.stderr).toEqual(['schemantic diff: --format must be one of human, json, github']);
  });
});

describe('schemantic diff overrides', () => {
  async function config(overrides: unknown[]): Promise<void> {
    await writeFile(path.join(cwd, 'schemantic.config.json'), JSON.stringify({ diff: { overrides } }, null, 2));
  }

  it('downgrades a rule for a named tool, with its reason shown', async () => {
    await breakWeather();
    await config([{ rule: 'property-added-required', tool: 'get_weather', severity: 'potentially-breaking', reason: 'callers updated in PLAT-1' }]);
    const io = captureIo();
    expect(await main(['diff'], io, cwd)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toContain('potentially-breaking  property-added-required /parameters/properties/units');
    expect(text).toMatch(/\(breaking downgraded by schemantic\.config\.json:\d+:\d+: callers updated in PLAT-1\)/);
  });

  it('ignores a rule, never raises one, and reports overrides that match nothing', async () => {
    await breakWeather();
    await config([
      { rule: 'instructions-changed', agent: 'weather', severity: 'ignore', reason: 'wording only' },
      { rule: 'property-added-required', tool: 'get_weather', pointer: '/parameters/properties/other', severity: 'safe', reason: 'not this one' },
      { rule: 'tool-removed', tool: 'get_weather', severity: 'safe', reason: 'planned' },
    ]);
    const io = captureIo();
    expect(await main(['diff', '--format', 'json'], io, cwd)).toBe(1);
    const report = JSON.parse(io.stdout.join('\n')) as { summary: Record<string, number>; findings: { rule: string; severity: string }[] };
    expect(report.summary['ignored']).toBe(1);
    expect(report.findings.map((f) => `${f.severity} ${f.rule}`)).toEqual(['breaking property-added-required']);
    expect(io.stderr.filter((l) => l.includes('matched nothing'))).toHaveLength(2);
  });

  it('rejects an unknown rule, and a config override without a reason, with locations', async () => {
    await config([{ rule: 'propery-removed', tool: 'get_weather', severity: 'safe', reason: 'x' }]);
    const io = captureIo();
    expect(await main(['diff'], io, cwd)).toBe(2);
    expect(io.stderr).toEqual(['schemantic.config.json:5:9: unknown rule "propery-removed" in a diff override (did you mean "property-removed"?)']);
    await config([{ rule: 'property-removed', tool: 'get_weather', severity: 'safe' }]);
    const missing = captureIo();
    expect(await main(['diff'], missing, cwd)).toBe(2);
    expect(missing.stderr).toEqual(['schemantic.config.json:4:7 error config-error /diff/overrides/0: missing "reason"']);
    await config([{ rule: 'property-removed', tool: 'get_weather', agent: 'weather', severity: 'safe', reason: 'x' }]);
    const both = captureIo();
    expect(await main(['diff'], both, cwd)).toBe(2);
    expect(both.stderr[0]).toContain('name the one tool, agent or MCP server the override is for');
  });
});

describe('schemantic diff and shared types', () => {
  it('reports a change in a shared type at every contract that reaches it, judged by its side', async () => {
    await edit('flight-booking.yaml', 'seat: { enum: [A, B, C, D, E, F]', 'seat: { enum: [A, B, C, D, E, F, G]');
    const io = captureIo();
    expect(await main(['diff', '--format', 'json'], io, cwd)).toBe(1);
    const report = JSON.parse(io.stdout.join('\n')) as { findings: { severity: string; subject: { name: string }; inType?: string }[] };
    const bySubject = Object.fromEntries(report.findings.map((f) => [f.subject.name, f.severity]));
    expect(bySubject).toEqual({ flight_booking: 'breaking', seat_preference: 'breaking', buy_tickets: 'safe' });
    expect(new Set(report.findings.map((f) => f.inType))).toEqual(new Set(['SeatPreference']));
  });
});
