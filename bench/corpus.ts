/**
 * A synthetic corpus for the codegen benchmark: 200 agents, 400 tools and 200 shared types,
 * written as Schemantic definitions (20 team files) and as the equivalent BAML project
 * (200 functions with their argument and result classes).
 *
 * Deterministic: the same sizes always give the same files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const TEAMS = 20;

/** Sizes of the corpus. */
export interface CorpusSize {
  agents: number;
  tools: number;
  types: number;
}

export const DEFAULT_SIZE: CorpusSize = { agents: 200, tools: 400, types: 200 };

const FORMATS = ['date', 'date-time', 'email', 'uri', 'uuid'] as const;

function typeName(i: number): string {
  return `Record${String(i).padStart(3, '0')}`;
}

function toolName(i: number): string {
  return `tool_${String(i).padStart(3, '0')}`;
}

function agentName(i: number): string {
  return `agent_${String(i).padStart(3, '0')}`;
}

/** The team file a type, tool or agent lives in. */
function team(i: number, count: number): number {
  return Math.floor((i * TEAMS) / count);
}

function teamFile(t: number): string {
  return `team-${String(t).padStart(2, '0')}.yaml`;
}

/** A shared type: a nested object with an array of objects, an enum, a formatted string and bounds. */
function typeYaml(i: number): string {
  const format = FORMATS[i % FORMATS.length];
  return `  ${typeName(i)}:
    description: Shared record ${i}.
    type: object
    properties:
      id: { type: string, format: uuid }
      label: { type: string, minLength: 1, maxLength: 200 }
      status: { enum: [draft, active, archived] }
      stamp: { type: string, format: ${format} }
      score: { type: number, minimum: 0, maximum: 100 }
      owner:
        type: object
        properties:
          name: { type: string }
          email: { type: string, format: email }
        required: [name]
      items:
        type: array
        maxItems: 50
        items:
          type: object
          properties:
            sku: { type: string, pattern: '^[A-Z]{3}-[0-9]{4}$' }
            quantity: { type: integer, minimum: 1 }
          required: [sku, quantity]
    required: [id, label, status]
`;
}

function ref(fromTeam: number, type: number, types: number): string {
  const t = team(type, types);
  return t === fromTeam ? `'#/types/${typeName(type)}'` : `'./${teamFile(t)}#/types/${typeName(type)}'`;
}

function toolYaml(i: number, size: CorpusSize): string {
  const here = team(i, size.tools);
  const arg = i % size.types;
  const ret = (i * 7 + 3) % size.types;
  return `  ${toolName(i)}:
    description: Looks something up (tool ${i}).
    parameters:
      type: object
      properties:
        query: { type: string, minLength: 1, description: What to look up. }
        limit: { type: integer, minimum: 1, maximum: 100, default: 10 }
        mode: { enum: [fast, thorough] }
        since: { type: string, format: date }
        filter: { $ref: ${ref(here, arg, size.types)} }
        tags: { type: array, items: { type: string }, uniqueItems: true }
      required: [query]
      additionalProperties: false
    returns:
      type: array
      items: { $ref: ${ref(here, ret, size.types)} }
`;
}

function agentYaml(i: number, size: CorpusSize): string {
  const here = team(i, size.agents);
  const tools = [toolName((2 * i) % size.tools), toolName((2 * i + 1) % size.tools)];
  const output = (i * 3) % size.types;
  return `  ${agentName(i)}:
    description: Agent ${i}.
    model: openai:gpt-4o
    instructions: You help {{user.name}} with task ${i}. Use the tools, then answer.
    context:
      type: object
      properties:
        user:
          type: object
          properties: { name: { type: string }, locale: { type: string } }
          required: [name]
      required: [user]
    tools: [${tools.join(', ')}]
    output: { $ref: ${ref(here, output, size.types)} }
    retries: 2
`;
}

/** The Schemantic definitions: file name -> text. */
export function schemanticCorpus(size: CorpusSize = DEFAULT_SIZE): Record<string, string> {
  const parts = Array.from({ length: TEAMS }, () => ({ types: [] as string[], tools: [] as string[], agents: [] as string[] }));
  for (let i = 0; i < size.types; i++) parts[team(i, size.types)]!.types.push(typeYaml(i));
  for (let i = 0; i < size.tools; i++) parts[team(i, size.tools)]!.tools.push(toolYaml(i, size));
  for (let i = 0; i < size.agents; i++) parts[team(i, size.agents)]!.agents.push(agentYaml(i, size));
  const files: Record<string, string> = {};
  parts.forEach((p, t) => {
    files[teamFile(t)] =
      `spec: schemantic/v1\n` +
      (p.types.length ? `types:\n${p.types.join('')}` : '') +
      (p.tools.length ? `tools:\n${p.tools.join('')}` : '') +
      (p.agents.length ? `agents:\n${p.agents.join('')}` : '');
  });
  return files;
}

function bamlClass(name: string, fields: string[]): string {
  return `class ${name} {\n${fields.map((f) => `  ${f}`).join('\n')}\n}\n`;
}

/** The equivalent BAML project (baml_src/): file name -> text. */
export function bamlCorpus(size: CorpusSize = DEFAULT_SIZE, version: string): Record<string, string> {
  const files: Record<string, string> = {};
  files['generators.baml'] = `generator target {\n  output_type "typescript"\n  output_dir "../"\n  version "${version}"\n  default_client_mode async\n}\n`;
  files['clients.baml'] = `client<llm> Gpt4o {\n  provider openai\n  options {\n    model "gpt-4o"\n    api_key env.OPENAI_API_KEY\n  }\n}\n`;
  const shared: string[] = ['enum Status {\n  Draft\n  Active\n  Archived\n}\n', 'enum Mode {\n  Fast\n  Thorough\n}\n'];
  for (let i = 0; i < size.types; i++) {
    shared.push(bamlClass(`${typeName(i)}Owner`, ['name string', 'email string?']));
    shared.push(bamlClass(`${typeName(i)}Item`, ['sku string @description("Pattern ^[A-Z]{3}-[0-9]{4}$")', 'quantity int']));
    shared.push(
      bamlClass(typeName(i), [
        'id string @description("A UUID")',
        'label string',
        'status Status',
        'stamp string?',
        'score float?',
        `owner ${typeName(i)}Owner?`,
        `items ${typeName(i)}Item[]`,
      ]),
    );
  }
  files['types.baml'] = shared.join('\n');
  const functions: string[] = [];
  for (let i = 0; i < size.tools; i++) {
    functions.push(
      bamlClass(`${toolName(i).replace('tool_', 'Tool')}Args`, [
        'query string @description("What to look up.")',
        'limit int?',
        'mode Mode?',
        'since string?',
        `filter ${typeName(i % size.types)}?`,
        'tags string[]',
      ]),
    );
  }
  for (let i = 0; i < size.agents; i++) {
    const a = (2 * i) % size.tools;
    const b = (2 * i + 1) % size.tools;
    functions.push(bamlClass(`Agent${String(i).padStart(3, '0')}Context`, ['user_name string', 'user_locale string?']));
    functions.push(`function Agent${String(i).padStart(3, '0')}(context: Agent${String(i).padStart(3, '0')}Context, first: Tool${String(a).padStart(3, '0')}Args, second: Tool${String(b).padStart(3, '0')}Args) -> ${typeName((i * 3) % size.types)} {
  client Gpt4o
  prompt #"
    You help {{ context.user_name }} with task ${i}.
    {{ first }} {{ second }}
    {{ ctx.output_format }}
  "#
}
`);
  }
  files['functions.baml'] = functions.join('\n');
  return files;
}

/** Writes a corpus (file names relative to `dir`, folders made as needed) into `dir`. */
export function writeCorpus(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}
