import { describe, expect, it } from 'vitest';
import { commentLines, dataLiteral, identifier, stringLiteral, UnsafeValueError } from '../../../codegen/targets/escape.js';

describe('escaping helpers', () => {
  it('accepts identifiers and rejects anything else, reserved words included', () => {
    expect(identifier('GetLatLngArgs')).toBe('GetLatLngArgs');
    for (const bad of ['class', 'constructor;alert(1)', 'a b', '1a', '', 'x}', 'await']) {
      expect(() => identifier(bad)).toThrow(UnsafeValueError);
    }
  });

  it('encodes strings so that nothing in them is code', () => {
    const hostile = 'a"b\'c`d${e}\\f\ng\u2028h\u2029i</script>';
    const literal = stringLiteral(hostile);
    expect(literal).not.toMatch(/[\n\u2028\u2029]/);
    expect(new Function(`return ${literal};`)()).toBe(hostile);
  });

  it('writes data literals that evaluate to the same data, __proto__ keys included', () => {
    const data = JSON.parse('{"__proto__": {"polluted": true}, "a": [1, "x\\u2028y", null, {"b": false}], "long": "' + 'z'.repeat(100) + '"}');
    const code = dataLiteral(data);
    const back = new Function(`return ${code};`)();
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(back).toEqual(data);
    expect(Object.keys(back)).toEqual(['__proto__', 'a', 'long']);
    expect(code).toContain('["__proto__"]: { "polluted": true }');
  });

  it('keeps short data on one line and breaks long data', () => {
    expect(dataLiteral({ type: 'string', minLength: 1 })).toBe('{ "type": "string", "minLength": 1 }');
    expect(dataLiteral({ a: 'x'.repeat(90) })).toBe(`{\n  "a": "${'x'.repeat(90)}",\n}`);
  });

  it('sanitises comment text so that it cannot end the comment', () => {
    expect(commentLines('ends */ here\r\nnext\u2028line')).toEqual(['ends *\\/ here', 'next', 'line']);
  });
});
