import { describe, expect, it } from 'vitest';
import { camelCase, isIdentifier, kebabCase, pascalCase } from '../../codegen/compiler/naming.js';

describe('naming', () => {
  it.each([
    ['get_lat_lng', 'GetLatLng', 'getLatLng', 'get-lat-lng'],
    ['LatLng', 'LatLng', 'latLng', 'lat-lng'],
    ['bank-support', 'BankSupport', 'bankSupport', 'bank-support'],
    ['HTTPRequest', 'HTTPRequest', 'hTTPRequest', 'httprequest'],
    ['v2_api', 'V2Api', 'v2Api', 'v2-api'],
    ['class', 'Class', 'class', 'class'],
  ])('%s -> %s, %s, %s', (name, pascal, camel, kebab) => {
    expect(pascalCase(name)).toBe(pascal);
    expect(camelCase(name)).toBe(camel);
    expect(kebabCase(name)).toBe(kebab);
  });

  it('treats reserved words as non-identifiers', () => {
    expect(isIdentifier('class')).toBe(false);
    expect(isIdentifier('Class')).toBe(true);
    expect(isIdentifier('$x_1')).toBe(true);
  });
});
