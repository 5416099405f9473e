/**
 * Generated validators: they accept valid data, reject invalid data with every error listed, and
 * load in plain Node ESM (Ajv's require() calls are rewritten to imports from schemantic/validators).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as getLatLng from '../../generated/validators/tools/get-lat-lng.js';
import * as retrieve from '../../generated/validators/tools/retrieve-relevant-documentation.js';
import * as flightSearch from '../../generated/validators/agents/flight-search.js';
import * as bankSupport from '../../generated/validators/agents/bank-support.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

describe('generated validators', () => {
  it('accept valid tool arguments and return values', () => {
    expect(getLatLng.validateArgs({ location_description: 'London' })).toBe(true);
    expect(getLatLng.validateArgs.errors).toBeNull();
    expect(getLatLng.validateReturn({ lat: 51.5, lng: -0.1 })).toBe(true);
    expect(retrieve.validateReturn([{ url: 'https://ai.pydantic.dev/agents/', title: 'Agents', content: '...' }])).toBe(true);
  });

  it('reject invalid data and list every error, not just the first', () => {
    expect(getLatLng.validateReturn({ lat: 123, extra: true })).toBe(false);
    expect(getLatLng.validateReturn.errors!.map((e) => `${e.instancePath} ${e.keyword}`).sort()).toEqual([
      ' additionalProperties',
      ' required',
      '/lat maximum',
    ]);
    expect(retrieve.validateArgs({ user_query: '', limit: 0, other: 1 })).toBe(false);
    expect(retrieve.validateArgs.errors!.map((e) => `${e.instancePath} ${e.keyword}`).sort()).toEqual([
      ' additionalProperties',
      '/limit minimum',
      '/user_query minLength',
    ]);
  });

  it('check formats, patterns and cross-file types', () => {
    const flight = { flight_number: 'AK123', price: 350, origin: 'SFO', destination: 'ANC', date: '2025-01-10' };
    expect(flightSearch.validateOutputFlightDetails(flight)).toBe(true);
    expect(flightSearch.validateOutputFlightDetails({ ...flight, origin: 'sfo', date: '2025-02-30' })).toBe(false);
    expect(flightSearch.validateOutputFlightDetails.errors!.map((e) => `${e.instancePath} ${e.keyword}`).sort()).toEqual(['/date format', '/origin pattern']);
    expect(retrieve.validateReturn([{ url: 'not a uri', title: 't', content: 'c' }])).toBe(false);
    expect(retrieve.validateReturn.errors!.map((e) => `${e.instancePath} ${e.keyword}`)).toEqual(['/0/url format']);
  });

  it('narrow types: a passing value is typed as the output', () => {
    const value: unknown = { support_advice: 'Hello John', block_card: false, risk: 1 };
    if (!bankSupport.validateOutput(value)) throw new Error('expected valid');
    const risk: number = value.risk;
    expect(risk).toBe(1);
    // 'nope' is no boolean even in lax mode ('no' would be read as false).
    expect(bankSupport.validateOutput({ support_advice: 'x', block_card: 'nope', risk: 11 })).toBe(false);
    expect(bankSupport.validateOutput.errors).toHaveLength(2);
  });

  it('load in plain Node ESM, outside any bundler or test runner', () => {
    const script = `
      const v = await import('./generated/validators/tools/retrieve-relevant-documentation.js');
      const f = await import('./generated/validators/agents/flight-search.js');
      const ok = v.validateArgs({ user_query: 'q' });
      const bad = f.validateOutputFlightDetails({ flight_number: 'x', price: -1, origin: 'SFO', destination: 'ANC', date: 'soon' });
      console.log(JSON.stringify({ ok, bad, errors: f.validateOutputFlightDetails.errors.map((e) => e.keyword).sort() }));
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ ok: true, bad: false, errors: ['format', 'minimum'] });
  });
});
