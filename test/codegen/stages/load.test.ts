import { describe, expect, it } from 'vitest';
import { load, memoryReader, parseSource } from '../../../codegen/compiler/load.js';

describe('load', () => {
  it('keeps the key and value position of every node, in YAML and in JSON', () => {
    const yamlFile = parseSource('a.yaml', 'schemas/a.yaml', 'spec: schemantic/v1\ntypes:\n  A:\n    type: string\n').file;
    expect(yamlFile.positions.find('/types/A', 'key')).toEqual({ line: 3, col: 3 });
    expect(yamlFile.positions.find('/types/A/type')).toEqual({ line: 4, col: 11 });
    const jsonFile = parseSource('a.json', 'schemas/a.json', '{\n  "spec": "schemantic/v1",\n  "types": { "A": { "type": "string" } }\n}\n').file;
    expect(jsonFile.value).toEqual({ spec: 'schemantic/v1', types: { A: { type: 'string' } } });
    expect(jsonFile.positions.find('/types/A/type')).toEqual({ line: 3, col: 29 });
    expect(jsonFile.positions.find('/types/A', 'key')).toEqual({ line: 3, col: 14 });
  });

  it('locates a pointer that does not exist at its nearest ancestor', () => {
    const file = parseSource('a.yaml', 'a.yaml', 'agents:\n  x:\n    model: m\n').file;
    expect(file.positions.find('/agents/x/tools/3')).toEqual({ line: 3, col: 5 });
  });

  it('keeps a key named __proto__ as data instead of a prototype', () => {
    const file = parseSource('a.yaml', 'a.yaml', 'types:\n  A:\n    properties:\n      __proto__: { type: string }\n').file;
    const props = (file.value as { types: { A: { properties: object } } }).types.A.properties;
    expect(Object.keys(props)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
  });

  it('reads a byte-order mark and Windows line ends', () => {
    const { file, problems } = parseSource('a.yaml', 'a.yaml', '\uFEFFspec: schemantic/v1\r\ntypes:\r\n  A: { type: string }\r\n');
    expect(problems).toEqual([]);
    expect(file.positions.find('/types/A', 'key')).toEqual({ line: 3, col: 3 });
  });

  it('sorts files and reuses a cached parse when the text is unchanged', async () => {
    const cache = new Map();
    const files = { 'b.yaml': 'spec: schemantic/v1\n', 'a.yaml': 'spec: schemantic/v1\n' };
    const first = await load(memoryReader(files), { displayPrefix: 'schemas', cache });
    expect(first.files.map((f) => f.display)).toEqual(['schemas/a.yaml', 'schemas/b.yaml']);
    const second = await load(memoryReader(files), { displayPrefix: 'schemas', cache });
    expect(second.files[0]).toBe(first.files[0]);
    const third = await load(memoryReader({ ...files, 'a.yaml': 'spec: schemantic/v1\n# edited\n' }), { displayPrefix: 'schemas', cache });
    expect(third.files[0]).not.toBe(first.files[0]);
  });

  it('reports a file it cannot read and goes on with the others', async () => {
    const reader = {
      list: async () => ['a.yaml', 'b.yaml'],
      read: async (rel: string) => (rel === 'a.yaml' ? Promise.reject(new Error('EACCES: permission denied')) : 'spec: schemantic/v1\n'),
    };
    const result = await load(reader, { displayPrefix: 'schemas' });
    expect(result.files.map((f) => f.rel)).toEqual(['b.yaml']);
    expect(result.problems).toMatchObject([{ code: 'io-error', file: 'schemas/a.yaml', message: 'cannot read file: EACCES: permission denied' }]);
  });
});
