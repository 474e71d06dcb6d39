// The built packages load from ESM and CommonJS (JS and TS) and export the same names both ways.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

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

  it('keeps adapter plumbing off the public entry of @breakwater/core', () => {
    const esm = load('./esm.mjs');
    const plumbing = [
      'Guard',
      'GuardedCall',
      'GuardCache',
      'GuardRejection',
      'RequestGuard',
      'installPrototypeHeadHook',
      'markShortCircuit',
      'createGuardCache',
      'parseGuardOptions',
      'warnOnce',
      'invalidOption',
      'isPromiseLike',
      'ResponseCapture',
      'EventSource',
      'Permit',
      'Rejection',
      'obtainBreaker',
    ];
    expect(esm['@breakwater/core']!.filter((name) => plumbing.includes(name))).toEqual([]);
    expect(esm['@breakwater/core/adapter']).toEqual(
      expect.arrayContaining(['RequestGuard', 'GuardedCall', 'warnOnce', 'Rejection']),
    );
  });

  it('shares one breaker registry between require() and import() of different packages', () => {
    expect(load('./mixed.mjs')).toEqual({
      sameRegistry: true,
      esmSees: true,
      scraped: true,
      shortCircuitShared: true,
    });
  });

  it('TypeScript resolves the types from ESM (.mts) and CommonJS (.cts) files', () => {
    const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
    const output = execFileSync(process.execPath, [tsc, '-p', here('./tsconfig.json')], {
      encoding: 'utf8',
    });
    expect(output).toBe('');
  }, 60_000); // a whole tsc run: seconds on a loaded 2-core machine
});

describe('two packed copies of @breakwater/core side by side', () => {
  const root = mkdtempSync(join(here('.'), '.copies-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  /** Packs core once and installs it into two folders, each with core's own lru-cache beside it. */
  const install = (() => {
    let folders: [string, string] | undefined;
    return (): [string, string] => {
      if (folders !== undefined) return folders;
      const core = here('../../packages/core');
      const tarball = execFileSync('pnpm', ['pack', '--pack-destination', root], {
        cwd: core,
        encoding: 'utf8',
      })
        .trim()
        .split('\n')
        .pop()!;
      const lruCache = realpathSync(join(core, 'node_modules', 'lru-cache'));
      const made = ['a', 'b'].map((copy) => {
        const modules = join(root, copy, 'node_modules');
        const folder = join(modules, '@breakwater', 'core');
        mkdirSync(folder, { recursive: true });
        execFileSync('tar', ['-xzf', tarball, '-C', folder, '--strip-components=1']);
        symlinkSync(lruCache, join(modules, 'lru-cache'));
        return folder;
      });
      return (folders = [made[0]!, made[1]!]);
    };
  })();
  const run = (mode: string): Record<string, unknown> =>
    JSON.parse(
      execFileSync(process.execPath, [here('./copies.mjs'), ...install(), mode], {
        encoding: 'utf8',
      }),
    ) as Record<string, unknown>;

  it('share the process-wide registry (ESM from one copy, CommonJS from the other)', () => {
    expect(run('compatible')).toEqual({
      sameRegistry: true,
      aSeesB: true,
      snapshotNames: ['from-copy-b'],
      warnings: [],
    });
  });

  it('keep registries of their own and each warn once, naming both versions, when they cannot share it', () => {
    const result = run('incompatible');
    expect(result).toMatchObject({ sameRegistry: false, aSeesB: false, snapshotNames: [] });
    const warnings = result.warnings as string[];
    expect(warnings).toHaveLength(2); // one per copy that found an incompatible slot
    for (const warning of warnings) {
      expect(warning).toMatch(/ERR_BREAKWATER_CORE_COPIES.*9\.9\.9.*protocol 99.*0\.1\.0/);
    }
  });
});
