// Shared build settings: every package ships ESM + CJS with their own .d.ts/.d.cts.
import { defineConfig, type Options } from 'tsup';

export function packageConfig(entry: Record<string, string>): ReturnType<typeof defineConfig> {
  const options: Options = {
    entry,
    format: ['esm', 'cjs'],
    // Members marked @internal are left out of the published types.
    dts: { compilerOptions: { stripInternal: true } },
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    // Entries of one package share chunks, so no class exists twice (ESM and CJS alike).
    splitting: true,
    treeshake: false,
  };
  return defineConfig(options);
}
