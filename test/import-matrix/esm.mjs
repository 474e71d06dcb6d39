// Loads every published entry point through its ESM condition and prints what each exports.
const entries = [
  '@breakwater/core',
  '@breakwater/core/http',
  '@breakwater/express',
  '@breakwater/koa',
  '@breakwater/fastify',
  '@breakwater/redis',
  '@breakwater/prometheus',
  '@breakwater/client',
];
const result = {};
for (const entry of entries) result[entry] = Object.keys(await import(entry)).sort();
console.log(JSON.stringify(result));
