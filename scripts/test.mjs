#!/usr/bin/env node
// Runs the test suites once (`--soak`: the long soak, heap and property runs) and prints the plain `N passed, N failed` line from vitest's JSON report.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { isAbsolute, relative } from 'node:path';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const REPORT = '.test-report/vitest.json';
/** Suites that load the built packages (dist), so the run builds first when it includes them. */
const DIST_SUITES = ['test/import-matrix/import-matrix.test.ts', 'test/readme/readme.test.ts'];
/** What `--soak` runs when no filter is given: every `*.soak.test.ts` and the long property runs. */
const SOAK_FILTERS = [
  '.soak.test.ts',
  'test/reliability/breaker-concurrency.property.test.ts',
  'packages/core/src/circuit-breaker.property.test.ts',
];
/** The soak's knobs and their defaults (each a count or seconds, read by the soak tests). */
const SOAK_DEFAULTS = { SOAK_SECONDS: '60', PROPERTY_RUNS: '20000', HOSTILE_KEYS: '20000' };

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

/** Whether vitest, given these arguments, would run a suite that loads the built packages. */
function runsDistSuites(args) {
  if (args.length === 0 || args.some((arg) => arg.startsWith('-'))) return true;
  return args.some((arg) => {
    const filter = (isAbsolute(arg) ? relative(process.cwd(), arg) : arg).replace(/^\.\//, '');
    return DIST_SUITES.some((suite) => suite.includes(filter));
  });
}

/** `1 min 05 s` or `42.1 s`. */
function duration(ms) {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

/** Runs vitest in its own process group; past `deadlineMs` the whole group is killed. */
function runVitest(args, env, deadlineMs) {
  return new Promise((resolve) => {
    const child = spawn('pnpm', ['exec', 'vitest', ...args], {
      stdio: 'inherit',
      env,
      detached: true,
    });
    let timedOut = false;
    const timer =
      deadlineMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-child.pid, 'SIGKILL');
            } catch {
              // already gone
            }
          }, deadlineMs);
    const stop = () => {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve({ status: code ?? (signal ? 1 : 0), timedOut });
    });
  });
}

/**
 * Reads the report: tests passed, failed and skipped, plus one failure per test file that failed
 * outside its tests (it did not load, a hook threw), so such a file still turns the run red.
 */
function summarise(report) {
  const files = report.testResults ?? [];
  const outside = files.filter(
    (file) =>
      file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
  );
  return {
    files,
    outside,
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + outside.length,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/** What the soak ran: each file's tests and time, then the knobs and the total. */
function printSoakSummary(files, env, tookMs) {
  const knobs = Object.keys(SOAK_DEFAULTS)
    .map((name) => `${name}=${env[name]}`)
    .join(' ');
  console.log(`\nsoak (${knobs}): ${files.length} files in ${duration(tookMs)}`);
  for (const file of files) {
    const tests = file.assertionResults;
    const passed = tests.filter((test) => test.status === 'passed').length;
    console.log(
      `  ${relative(process.cwd(), file.name)}: ${passed}/${tests.length} passed, ` +
        `${duration((file.endTime ?? file.startTime) - file.startTime)}`,
    );
    for (const test of tests)
      console.log(`    ${test.status.padEnd(7)} ${duration(test.duration ?? 0)}  ${test.fullName}`);
  }
}

const argv = process.argv.slice(2);
const soak = argv[0] === '--soak';
const extra = soak ? argv.slice(1) : argv;
const env = { ...process.env, REDIS_URL };
if (soak) {
  env.BREAKWATER_SOAK = '1';
  for (const [name, value] of Object.entries(SOAK_DEFAULTS)) env[name] ??= value;
}

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

// The import-matrix and README suites load the built packages: build every time, so a stale dist cannot pass.
if (!soak && runsDistSuites(extra)) {
  console.log('Building the packages (pnpm build) for the suites that load dist...');
  const buildStarted = Date.now();
  const build = spawnSync('pnpm', ['build'], { encoding: 'utf8', env, maxBuffer: 64 << 20 });
  if (build.status !== 0) {
    console.error(`${build.stdout ?? ''}${build.stderr ?? ''}pnpm build failed`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  console.log(`Built in ${duration(Date.now() - buildStarted)}.`);
}

// A backstop for the soak: a synchronous hang never reaches a test timeout, so the whole run has a
// deadline (SOAK_DEADLINE_MINUTES, by default three times what the knobs should take, at least 10 min).
const expectedMs = 10 * Number(env.SOAK_SECONDS) * 1000 + Number(env.PROPERTY_RUNS) * 5;
const deadlineMs = soak
  ? env.SOAK_DEADLINE_MINUTES
    ? Number(env.SOAK_DEADLINE_MINUTES) * 60_000
    : Math.max(10 * 60_000, 3 * expectedMs)
  : undefined;

rmSync(REPORT, { force: true });
mkdirSync('.test-report', { recursive: true });
const args = [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${REPORT}`,
  ...(soak && extra.every((arg) => arg.startsWith('-')) ? SOAK_FILTERS : []),
  ...extra,
];
const started = Date.now();
const run = await runVitest(args, env, deadlineMs);
const tookMs = Date.now() - started;

if (run.timedOut)
  console.error(`\nThe run passed its ${duration(deadlineMs)} deadline: vitest was stopped.`);
if (!existsSync(REPORT)) {
  console.error('vitest wrote no report');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const result = summarise(JSON.parse(readFileSync(REPORT, 'utf8')));
if (soak) printSoakSummary(result.files, env, tookMs);
for (const file of result.outside) {
  const why = String(file.message ?? 'no message').split('\n')[0];
  console.error(`FAILED outside any test: ${relative(process.cwd(), file.name)}: ${why}`);
}
let { failed } = result;
if (failed === 0 && (run.status !== 0 || result.passed === 0)) {
  // red for a reason no test carries (nothing ran, an unhandled error, a crash): count it
  console.error(
    result.passed === 0
      ? `no test ran (vitest exited with status ${run.status})`
      : `vitest exited with status ${run.status} with no failed test (see its output above)`,
  );
  failed = 1;
}
const ok = run.status === 0 && failed === 0;
const { passed, skipped } = result;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(ok ? 0 : 1);
