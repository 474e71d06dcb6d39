// Test configuration: unit tests beside the sources, cross-package suites in test/, run against the sources.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string): string => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@breakwater\/core\/adapter$/, replacement: src('core/src/adapter/index.ts') },
      {
        find: /^@breakwater\/(core|express|koa|fastify|redis|prometheus|opentelemetry|client|hono|nestjs)$/,
        replacement: src('$1/src/index.ts'),
      },
    ],
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'test/**/*.test.ts',
      'examples/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    exclude: [
      '**/node_modules/**',
      '**/dist/**',
      // long loads, heap growth and wall-clock bounds: only in `pnpm test:soak` (it sets BREAKWATER_SOAK=1)
      ...(process.env.BREAKWATER_SOAK === '1' ? [] : ['**/*.soak.test.ts']),
    ],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    typecheck: { enabled: false },
  },
});
