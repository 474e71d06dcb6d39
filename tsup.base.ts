// Shared build settings: every package ships ESM + CJS with their own .d.ts/.d.cts.
import { defineConfig, type Options } from 'tsup';

export function packageConfig(entry: Record<string, string>): ReturnType<typeof defineConfig> {
  const options: Options = {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: false,
  };
  return defineConfig(options);
}
