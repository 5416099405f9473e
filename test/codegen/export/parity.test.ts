/**
 * Exported schemas accept exactly what the originals accept. Each contract part is checked by its
 * JSON Schema document, its MCP schema and its OpenAPI schema (each compiled by Ajv as a consumer
 * would) and by the original: the validators `schemantic generate` writes for the same definitions,
 * which the runtime loads (committed for the shipped examples, generated into a temporary folder
 * for the export corpus). Instances are schema-valid data from the test model's generator and
 * every single-step mutation of it.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportContracts } from '../../../codegen/targets/contracts/contracts.js';
import { outputValidatorName } from '../../../codegen/targets/typescript/plan.js';
import { bundle } from '../../../codegen/compiler/ir/bundle.js';
import { runPipeline } from '../../../codegen/targets/typescript/pipeline.js';
import { folderReader } from '../../../codegen/compiler/load.js';
import type { IR, IRSchema } from '../../../codegen/compiler/ir/types.js';
import { sampleFromSchema } from '../../../runtime/testing/schema-data.js';
import type { JsonSchema } from '../../../runtime/contract/spec.js';
import { analyzed, compareVerdicts, consumerAjv, corpusDir, root, type Check, type Comparison } from './helpers.js';

type Validators = Record<string, Check | undefined>;

/** Where the originals come from: a validators module per tool and per agent. */
interface Originals {
  tool(fileName: string, schema: IRSchema, exportName: 'validateArgs' | 'validateReturn'): Promise<Check>;
  agent(fileName: string, schema: IRSchema, exportName: string): Promise<Check>;
}

/** The generated validators under `dir` (a `validators/` folder of a generated tree). */
function generatedValidators(dir: string): Originals {
  const load = async (file: string, name: string): Promise<Check> => {
    const module = (await import(path.join(dir, file))) as Validators;
    const check = module[name];
    if (!check) throw new Error(`${file} has no ${name}`);
    return (v) => check(v);
  };
  return {
    tool: (fileName, _schema, name) => load(`tools/${fileName}.js`, name),
    agent: (fileName, _schema, name) => load(`agents/${fileName}.js`, name),
  };
}

/**
 * Generates the validators of the definitions in `dir` into `out`/validators, where they import
 * `schemantic/validators` as they would in a user's project (through a link to this package).
 */
async function generateValidators(dir: string, display: string, out: string): Promise<string> {
  const result = await runPipeline({ reader: folderReader(dir), displayPrefix: display });
  if (result.problems.some((p) => p.severity === 'error')) throw new Error(`${display} does not generate`);
  for (const [rel, text] of result.files) {
    if (!rel.startsWith('validators/')) continue;
    await mkdir(path.dirname(path.join(out, rel)), { recursive: true });
    await writeFile(path.join(out, rel), text);
  }
  await mkdir(path.join(out, 'node_modules'), { recursive: true });
  await symlink(root, path.join(out, 'node_modules', 'schemantic'), 'dir');
  return path.join(out, 'validators');
}

function samplesOf(schemas: readonly IRSchema[], ir: IR): unknown[] {
  const types = new Map(ir.types.map((t) => [t.name, t]));
  const seen = new Map<string, unknown>();
  for (const schema of schemas) {
    for (let seed = 0; seed < 6; seed++) {
      const value = sampleFromSchema(bundle(schema, types) as JsonSchema, seed);
      seen.set(JSON.stringify(value), value);
    }
  }
  return [...seen.values()];
}

/** Every contract part of `ir`, checked by the original and by its exported forms in `files`. */
async function comparisons(ir: IR, files: ReadonlyMap<string, string>, originals: Originals): Promise<Comparison[]> {
  const ajv = consumerAjv();
  const doc = (file: string): Check => {
    const text = files.get(file);
    if (text === undefined) throw new Error(`not exported: ${file}`);
    const check = ajv.compile(JSON.parse(text) as object);
    return (v) => check(v);
  };
  const openapi = JSON.parse(files.get('openapi.json')!) as { paths: Record<string, unknown> };
  ajv.addSchema(openapi as object, 'openapi.json');
  const inOpenApi = (tool: string, where: 'request' | 'response'): Check => {
    const op = `/paths/~1tools~1${tool}/post`;
    const pointer = where === 'request' ? `${op}/requestBody/content/application~1json/schema` : `${op}/responses/200/content/application~1json/schema`;
    const check = ajv.compile({ $ref: `openapi.json#${pointer}` });
    return (v) => check(v);
  };
  const mcp = new Map(
    (JSON.parse(files.get('mcp/tools.json')!) as { tools: { name: string; inputSchema: object; outputSchema?: object }[] }).tools.map((t) => [t.name, t]),
  );

  const out: Comparison[] = [];
  for (const tool of ir.tools) {
    const entry = mcp.get(tool.name)!;
    out.push({
      name: `${tool.name} parameters`,
      original: await originals.tool(tool.fileName, tool.parameters, 'validateArgs'),
      exported: [
        ['json-schema', doc(`json-schema/tools/${tool.name}.parameters.schema.json`)],
        ['mcp inputSchema', ajv.compile(entry.inputSchema)],
        ['openapi request', inOpenApi(tool.name, 'request')],
      ],
      samples: samplesOf([tool.parameters], ir),
    });
    if (!tool.returns) continue;
    const exported: Comparison['exported'] = [
      ['json-schema', doc(`json-schema/tools/${tool.name}.returns.schema.json`)],
      ['openapi response', inOpenApi(tool.name, 'response')],
    ];
    if (entry.outputSchema) exported.push(['mcp outputSchema', ajv.compile(entry.outputSchema)]);
    out.push({
      name: `${tool.name} returns`,
      original: await originals.tool(tool.fileName, tool.returns, 'validateReturn'),
      exported,
      samples: samplesOf([tool.returns], ir),
    });
  }
  for (const agent of ir.agents) {
    const output = agent.output;
    const members =
      output.kind === 'structured' ? await Promise.all(output.members.map((m) => originals.agent(agent.fileName, m.schema, outputValidatorName(m)))) : [];
    const allowsText = output.kind === 'text' || output.allowsText;
    out.push({
      name: `${agent.name} output`,
      // What the runtime accepts as a final output: a value one member's validator accepts, or
      // text when the agent may end with text.
      original: (v) => members.some((check) => check(v)) || (allowsText && typeof v === 'string'),
      exported: [['json-schema', doc(`json-schema/agents/${agent.name}.output.schema.json`)]],
      samples: [
        ...(output.kind === 'structured'
          ? samplesOf(
              output.members.map((m) => m.schema),
              ir,
            )
          : []),
        'plain text',
      ],
    });
    if (agent.context) {
      out.push({
        name: `${agent.name} context`,
        original: await originals.agent(agent.fileName, agent.context, 'validateContext'),
        exported: [['json-schema', doc(`json-schema/agents/${agent.name}.context.schema.json`)]],
        samples: samplesOf([agent.context], ir),
      });
    }
  }
  return out;
}

describe('exported schemas accept what the originals accept', () => {
  let tmp = '';
  let corpusValidators = '';
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'schemantic-export-parity-'));
    corpusValidators = await generateValidators(corpusDir, 'corpus', tmp);
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('on the shipped examples, against the generated validators', async () => {
    const { ir } = await analyzed(path.join(root, 'schemas'), 'schemas');
    const { files } = exportContracts(ir);
    const parts = await comparisons(ir, files, generatedValidators(path.join(root, 'generated/validators')));
    // Every tool's parameters and returns, every agent's output and context (9 tools, 13 agents, 5 with a context).
    expect(parts.map((p) => p.name)).toHaveLength(9 + 9 + 13 + 5);
    const verdicts = compareVerdicts(parts);
    expect(verdicts.mismatches).toEqual([]);
    // Not vacuous: most samples are valid, and each kind of mutation made invalid instances.
    expect(verdicts.accepted).toBeGreaterThan(100);
    expect(verdicts.checked - verdicts.accepted).toBeGreaterThan(500);
    for (const [kind, count] of Object.entries(verdicts.rejectedByKind)) expect(count, kind).toBeGreaterThan(5);
  });

  it('on the export corpus (recursion, cross-file refs, unions, $ref roots, booleans, draft-07), against its generated validators', async () => {
    const { ir } = await analyzed(corpusDir, 'corpus');
    const { files } = exportContracts(ir);
    const parts = await comparisons(ir, files, generatedValidators(corpusValidators));
    expect(parts.map((p) => p.name)).toEqual([
      'describe_amount parameters',
      'describe_amount returns',
      'draw parameters',
      'draw returns',
      'ping parameters',
      'search parameters',
      'search returns',
      'walk_tree parameters',
      'walk_tree returns',
      'cashier output',
      'cashier context',
      'chatter output',
      'gardener output',
    ]);
    const verdicts = compareVerdicts(parts);
    expect(verdicts.mismatches).toEqual([]);
    expect(verdicts.accepted).toBeGreaterThan(30);
    for (const [kind, count] of Object.entries(verdicts.rejectedByKind)) expect(count, kind).toBeGreaterThan(0);
  });

  it('notices an exported schema that accepts something else (the comparison can fail)', async () => {
    const { ir } = await analyzed(corpusDir, 'corpus');
    const { files } = exportContracts(ir);
    const path = 'json-schema/tools/walk_tree.parameters.schema.json';
    // The recursive type loses its closedness: extra properties are now accepted.
    files.set(path, files.get(path)!.replace('"additionalProperties": false', '"additionalProperties": true'));
    const verdicts = compareVerdicts(await comparisons(ir, files, generatedValidators(corpusValidators)));
    expect(verdicts.mismatches.length).toBeGreaterThan(0);
    expect(verdicts.mismatches.every((m) => m.startsWith('walk_tree parameters: json-schema says true for extra property'))).toBe(true);
  });
});
