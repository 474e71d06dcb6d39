#!/usr/bin/env node
// Runs every test suite once and prints the plain `N passed, N failed` line, computed from vitest's JSON report.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const REPORT = '.test-report/vitest.json';

/** Answers whether a Redis server replies PONG at REDIS_URL within a second. */
function redisAnswers(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port) || 6379 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

const env = { ...process.env, REDIS_URL };
if (await redisAnswers(REDIS_URL)) {
  env.BREAKWATER_REDIS = '1';
} else if (process.env.CI) {
  console.error(`No Redis answered at ${REDIS_URL}; in CI the Redis suites must run.`);
  process.exit(1);
} else {
  console.warn(
    `\nSKIPPED: the Redis suites (no Redis server answered at ${REDIS_URL}).\n` +
      'Start one (redis-server --port 6379) or set REDIS_URL to run them.\n',
  );
}

// The import-matrix tests load the built packages; build them once when they are missing.
if (!existsSync('packages/core/dist/index.js')) {
  const build = spawnSync('pnpm', ['build'], { stdio: 'inherit', env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

rmSync(REPORT, { force: true });
mkdirSync('.test-report', { recursive: true });
const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${REPORT}`,
  ...process.argv.slice(2),
];
const run = spawnSync('pnpm', ['exec', ...args], { stdio: 'inherit', env });

if (!existsSync(REPORT)) {
  console.error('vitest wrote no report');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(REPORT, 'utf8'));
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const ok = run.status === 0 && failed === 0 && passed > 0;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(ok ? 0 : 1);
