/**
 * mcp/tools.json: a `tools/list` result that MCP's own zod schemas accept, with object-rooted
 * input and output schemas (a `$ref` root inlined, recursive types kept under `$defs`), and no
 * `outputSchema` for tools whose returns are not objects.
 */
import path from 'node:path';
import { ListToolsResultSchema, ToolSchema } from '@modelcontextprotocol/core';
import { describe, expect, it } from 'vitest';
import { exportContracts } from '../../../codegen/targets/contracts/contracts.js';
import { objectRoot } from '../../../codegen/targets/contracts/object-root.js';
import type { IRSchema, IRType } from '../../../codegen/compiler/ir/types.js';
import { memoryReader } from '../../../codegen/compiler/load.js';
import { analyzed, consumerAjv, corpusDir, root } from './helpers.js';

interface Tool {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}

async function manifest(dir: string, display: string): Promise<{ file: unknown; tools: Tool[]; withoutOutputSchema: string[] }> {
  const { ir } = await analyzed(dir, display);
  const result = exportContracts(ir);
  const parsed = JSON.parse(result.files.get('mcp/tools.json')!) as { tools: Tool[] };
  return { file: parsed, tools: parsed.tools, withoutOutputSchema: result.withoutOutputSchema };
}

describe('schemantic export: MCP tool manifest', () => {
  it.each([
    ['the shipped examples', path.join(root, 'schemas'), 'schemas'],
    ['the export corpus', corpusDir, 'corpus'],
  ])('is a tools/list result MCP accepts, sorted by name, with object roots (%s)', async (_name, dir, display) => {
    const { file, tools } = await manifest(dir, display);
    // The file as written (its `$comment` banner included) is what a server would send.
    expect(ListToolsResultSchema.safeParse(file).error).toBeUndefined();
    for (const tool of tools) expect(ToolSchema.safeParse(tool).error, tool.name).toBeUndefined();
    expect(tools.map((t) => t.name)).toEqual(tools.map((t) => t.name).sort());
    // MCP 2025-06-18: both schemas have "type": "object" at the root (this version of the zod
    // schemas checks it only for inputSchema).
    for (const tool of tools) {
      expect(tool.inputSchema['type'], tool.name).toBe('object');
      if (tool.outputSchema) expect(tool.outputSchema['type'], tool.name).toBe('object');
    }
  });

  it('gives an outputSchema only to tools that return an object, and says which do not', async () => {
    const { tools, withoutOutputSchema } = await manifest(path.join(root, 'schemas'), 'schemas');
    expect(tools.filter((t) => t.outputSchema).map((t) => t.name)).toEqual(['current_time', 'get_lat_lng', 'get_weather']);
    expect(withoutOutputSchema).toEqual([
      'buy_tickets',
      'customer_balance',
      'extract_flights',
      'get_page_content',
      'list_documentation_pages',
      'retrieve_relevant_documentation',
    ]);
    // A named object type at the root is inlined: its properties sit at the root, nothing left in $defs.
    const latLng = tools.find((t) => t.name === 'get_lat_lng')!.outputSchema!;
    expect(Object.keys(latLng['properties'] as object)).toEqual(['lat', 'lng']);
    expect(latLng).not.toHaveProperty('$ref');
    expect(latLng).not.toHaveProperty('$defs');
  });

  it('inlines $ref roots, keeping recursive and reached types under $defs', async () => {
    const { tools, withoutOutputSchema } = await manifest(corpusDir, 'corpus');
    const byName = new Map(tools.map((t) => [t.name, t]));
    const walk = byName.get('walk_tree')!;
    expect(walk.description).toBe('Walks a tree. Returns what the walk costs.');
    expect(walk.inputSchema).toMatchObject({ description: 'The tree to walk.', type: 'object', required: ['label', 'kind'], additionalProperties: false });
    expect(walk.inputSchema).not.toHaveProperty('$ref');
    expect(Object.keys(walk.inputSchema['$defs'] as object)).toEqual(['Tree']);
    expect(walk.outputSchema).toMatchObject({ type: 'object', required: ['amount', 'currency'] });
    expect(Object.keys(walk.outputSchema!['$defs'] as object)).toEqual(['Currency']);
    // `required` beside the `$ref` joins the inlined type's.
    expect(byName.get('search')!.inputSchema).toMatchObject({ type: 'object', required: ['text'] });
    expect(byName.get('search')!.inputSchema).not.toHaveProperty('$ref');
    // No returns: no outputSchema, and not counted as a tool that returns no object.
    expect(byName.get('ping')).not.toHaveProperty('outputSchema');
    expect(byName.get('describe_amount')).not.toHaveProperty('description');
    expect(withoutOutputSchema).toEqual(['describe_amount', 'search']);
  });
  it('puts parameters that contradict their own $ref under an object root, still accepting nothing', async () => {
    const definitions = "spec: schemantic/v1\ntypes:\n  Query: { type: object }\ntools:\n  odd:\n    parameters: { $ref: '#/types/Query', type: string }\n";
    const { ir } = await analyzed('', 'defs', memoryReader({ 'a.yaml': definitions }));
    const [tool] = (JSON.parse(exportContracts(ir).files.get('mcp/tools.json')!) as { tools: Tool[] }).tools;
    expect(tool!.inputSchema).toEqual({ type: 'object', allOf: [{ $ref: '#/$defs/Query', type: 'string' }], $defs: { Query: { type: 'object' } } });
    expect(ToolSchema.safeParse(tool).error).toBeUndefined();
    const check = consumerAjv().compile(tool!.inputSchema);
    expect([{}, { q: 1 }, 'x'].some((v) => check(v))).toBe(false);
  });
});

describe('objectRoot', () => {
  const schema = (s: unknown): IRSchema => ({ schema: s, closure: [], inlinedFrom: [] });
  const type = (name: string, s: unknown, closure: string[] = []): [string, IRType] => [
    name,
    {
      name,
      tsName: name,
      module: 'types/x',
      validator: { module: 'validators/types/x', name: `validate${name}` },
      schema: { schema: s, closure, inlinedFrom: [] },
      source: { file: 'x.yaml', rel: 'x.yaml', pointer: `/types/${name}`, line: 1, col: 1 },
    },
  ];
  const types = new Map([
    type('Query', { type: 'object', properties: { q: { type: 'string' } }, additionalProperties: false }),
    type('Alias', { $ref: '#/$defs/Query', description: 'An alias.' }, ['Query']),
    type('Text', { type: 'string' }),
  ]);

  it('follows alias chains, the nearest annotation winning', () => {
    expect(objectRoot(schema({ $ref: '#/$defs/Alias', title: 'Mine' }), types)).toEqual({
      type: 'object',
      properties: { q: { type: 'string' } },
      additionalProperties: false,
      description: 'An alias.',
      title: 'Mine',
    });
  });

  it('keeps the $ref when other keywords sit beside it, and accepts the same values', () => {
    const original = { $ref: '#/$defs/Query', properties: { extra: { type: 'number' } }, minProperties: 1 };
    const rooted = objectRoot(schema(original), types)!;
    expect(rooted).toEqual({ type: 'object', ...original, $defs: { Query: types.get('Query')!.schema.schema } });
    const ajv = consumerAjv();
    const before = ajv.compile({ ...original, $defs: { Query: types.get('Query')!.schema.schema } });
    const after = ajv.compile(rooted);
    for (const value of [{}, { q: 'a' }, { q: 1 }, { extra: 1 }, { q: 'a', extra: 'x' }, 'text', [], null])
      expect(after(value), JSON.stringify(value)).toBe(before(value));
  });

  it('refuses what is not an object schema', () => {
    expect(objectRoot(schema({ $ref: '#/$defs/Text' }), types)).toBeUndefined();
    expect(objectRoot(schema({ type: ['object', 'null'] }), types)).toBeUndefined();
    expect(objectRoot(schema({ $ref: '#/$defs/Query', type: 'string', minProperties: 1 }), types)).toBeUndefined();
    expect(objectRoot(schema({ type: 'array', items: { $ref: '#/$defs/Query' } }), types)).toBeUndefined();
    expect(objectRoot(schema(true), types)).toBeUndefined();
  });
});
