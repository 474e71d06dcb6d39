// `pnpm demo`: runs the story in the terminal. Flags: --framework express|koa|fastify, --fast, --dashboard.

import { parseArgs } from 'node:util';
import { BreakerRegistry } from '@breakwater/core';
import { startDashboard } from './dashboard-server.js';
import { runDemo, type Framework } from './demo.js';

const { values } = parseArgs({
  options: {
    framework: { type: 'string', default: 'express' },
    fast: { type: 'boolean', default: false },
    dashboard: { type: 'boolean', default: false },
    'dashboard-port': { type: 'string', default: '0' },
  },
});
const framework = values.framework as Framework;
if (!['express', 'koa', 'fastify'].includes(framework)) {
  console.error(`--framework must be express, koa or fastify; received ${values.framework}`);
  process.exit(2);
}
const dashboardPort = Number(values['dashboard-port']);
if (!Number.isInteger(dashboardPort) || dashboardPort < 0 || dashboardPort > 65_535) {
  console.error(`--dashboard-port must be a port number; received ${values['dashboard-port']}`);
  process.exit(2);
}
const redisUrl = process.env.REDIS_URL;
console.log(
  `Breakwater demo on ${framework}${redisUrl ? `, two replicas sharing state through Redis at ${redisUrl}` : ' (in-memory)'}\n`,
);

// With --dashboard, the story runs again and again under the live page until Ctrl-C.
const registry = values.dashboard ? new BreakerRegistry() : undefined;
if (registry) {
  const dashboard = await startDashboard(registry, dashboardPort);
  console.log(`Dashboard: ${dashboard.url}  (open it in a browser; Ctrl-C stops the demo)\n`);
  process.once('SIGINT', () => {
    console.log('\nStopping.');
    void dashboard.close().then(() => process.exit(0));
  });
}

for (;;) {
  const summary = await runDemo({
    framework,
    scale: values.fast ? 0.25 : 1,
    ...(redisUrl ? { redisUrl } : {}),
    ...(registry ? { registry } : {}),
    write: (line) => console.log(line),
  });
  const recovered = summary.transitions.at(-1)?.to === 'closed';
  console.log(
    recovered
      ? '\nThe breaker opened, served what it could, and closed again by itself.'
      : '\nThe breaker did not recover in time.',
  );
  if (!registry) process.exit(recovered ? 0 : 1);
  console.log('\nThe story starts again (Ctrl-C stops the demo).\n');
}
