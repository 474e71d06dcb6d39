// The state record parser: valid records pass, anything else is ignored without throwing.

import { describe, expect, it } from 'vitest';
import { parseRecord } from './record.js';

describe('parseRecord', () => {
  it('accepts a well-formed open or closed record', () => {
    const open = { n: 'api', s: 'open', r: 1_700_000_000_000, v: 1_700_000_000_001, o: 'x/1' };
    expect(parseRecord(JSON.stringify(open))).toEqual(open);
    expect(parseRecord('{"n":"api","s":"closed","r":0,"v":5,"o":""}')?.s).toBe('closed');
  });

  it.each([
    ['not a string', 42],
    ['null', null],
    ['not JSON', 'garbage'],
    ['JSON null', 'null'],
    ['an array', '[1,2]'],
    ['an empty name', '{"n":"","s":"open","r":1,"v":1,"o":""}'],
    ['an unknown state', '{"n":"a","s":"half-open","r":1,"v":1,"o":""}'],
    ['a string reopen time', '{"n":"a","s":"open","r":"1","v":1,"o":""}'],
    ['a negative reopen time', '{"n":"a","s":"open","r":-5,"v":1,"o":""}'],
    ['an infinite version', '{"n":"a","s":"open","r":1,"v":1e999,"o":""}'],
    ['a missing origin', '{"n":"a","s":"open","r":1,"v":1}'],
    ['a huge payload', `{"n":"${'a'.repeat(70_000)}","s":"open","r":1,"v":1,"o":""}`],
  ])('ignores %s', (_what, raw) => {
    expect(parseRecord(raw)).toBeUndefined();
  });
});
