// Two copies of @breakwater/core installed side by side (argv: their two package folders): one registry, or a warning.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [first, second, mode] = process.argv.slice(2);
const warnings = [];
console.warn = (message) => warnings.push(String(message));
if (mode === 'incompatible') {
  // A copy that speaks another protocol made the slot first.
  Object.defineProperty(globalThis, Symbol.for('breakwater.core.process'), {
    value: { protocol: 99, version: '9.9.9', registry: {}, memoryStore: {}, names: { next: 0 } },
    configurable: true,
  });
}
const a = await import(pathToFileURL(`${first}/dist/index.js`).href);
const b = createRequire(import.meta.url)(`${second}/dist/index.cjs`);
const breaker = new b.CircuitBreaker({ name: 'from-copy-b' });
console.log(
  JSON.stringify({
    sameRegistry: a.defaultRegistry === b.defaultRegistry,
    aSeesB: a.defaultRegistry.get('from-copy-b') === breaker,
    snapshotNames: a.defaultRegistry.snapshot().breakers.map((s) => s.name),
    warnings,
  }),
);
