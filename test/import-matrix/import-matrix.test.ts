// The built packages load from ESM and CommonJS (JS and TS) and export the same names both ways.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const load = (file: string): Record<string, string[]> =>
  JSON.parse(execFileSync(process.execPath, [here(file)], { encoding: 'utf8' })) as Record<
    string,
    string[]
  >;

describe('import matrix (built packages)', () => {
  it('ESM and CommonJS see the same exports for every entry point', () => {
    const esm = load('./esm.mjs');
    const cjs = load('./cjs.cjs');
    expect(Object.keys(esm)).toHaveLength(11);
    for (const [entry, names] of Object.entries(esm)) {
      expect(names.length, `${entry} exports nothing`).toBeGreaterThan(0);
      expect(cjs[entry], entry).toEqual(names);
    }
    expect(esm['@breakwater/core']).toContain('CircuitBreaker');
    expect(esm['@breakwater/core/adapter']).toContain('rejectionResponse');
  });

  it('TypeScript resolves the types from ESM (.mts) and CommonJS (.cts) files', () => {
    const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
    const output = execFileSync(process.execPath, [tsc, '-p', here('./tsconfig.json')], {
      encoding: 'utf8',
    });
    expect(output).toBe('');
  });
});
