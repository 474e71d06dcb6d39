import { describe, expect, it } from 'vitest';
import { rotated } from './rotated.js';

describe('rotated', () => {
  it('starts each round one row later and keeps every row once per round', () => {
    const rows = ['bare', 'floor', 'breakwater'];
    expect(rotated(rows, 0)).toEqual(['bare', 'floor', 'breakwater']);
    expect(rotated(rows, 1)).toEqual(['floor', 'breakwater', 'bare']);
    expect(rotated(rows, 2)).toEqual(['breakwater', 'bare', 'floor']);
    expect(rotated(rows, 3)).toEqual(rows);
  });

  it('puts every row in every position over as many rounds as there are rows', () => {
    const rows = ['a', 'b', 'c', 'd'];
    for (const row of rows) {
      const positions = [0, 1, 2, 3].map((round) => rotated(rows, round).indexOf(row));
      expect(positions.sort()).toEqual([0, 1, 2, 3]);
    }
  });

  it('leaves the input alone and handles an empty group', () => {
    const rows = ['a', 'b'];
    rotated(rows, 1);
    expect(rows).toEqual(['a', 'b']);
    expect(rotated([], 3)).toEqual([]);
  });
});
