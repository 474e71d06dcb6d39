// `pnpm demo`: runs the story in the terminal. Flags: --framework express|koa|fastify, --fast.

import { parseArgs } from 'node:util';
import { runDemo, type Framework } from './demo.js';

const { values } = parseArgs({
  options: {
    framework: { type: 'string', default: 'express' },
    fast: { type: 'boolean', default: false },
  },
});
const framework = values.framework as Framework;
if (!['express', 'koa', 'fastify'].includes(framework)) {
  console.error(`--framework must be express, koa or fastify; received ${values.framework}`);
  process.exit(2);
}
const redisUrl = process.env.REDIS_URL;
console.log(
  `Breakwater demo on ${framework}${redisUrl ? `, two replicas sharing state through Redis at ${redisUrl}` : ' (in-memory)'}\n`,
);
const summary = await runDemo({
  framework,
  scale: values.fast ? 0.25 : 1,
  ...(redisUrl ? { redisUrl } : {}),
  write: (line) => console.log(line),
});
const recovered = summary.transitions.at(-1)?.to === 'closed';
console.log(
  recovered
    ? '\nThe breaker opened, served what it could, and closed again by itself.'
    : '\nThe breaker did not recover in time.',
);
process.exit(recovered ? 0 : 1);
