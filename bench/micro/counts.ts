// Instructions per call of the core micro-benchmarks' synchronous cases, counted by callgrind.
//
//   pnpm --filter @breakwater/bench micro-instructions [--only TEXT]
//
// Each case runs in a process of its own under `valgrind --tool=callgrind`, V8 single-threaded and
// seeded (no concurrent compiler or GC threads, fixed hash and random seeds): the same build counts
// the same figures run after run, to a few instructions, where the times of micro/core.ts move by
// tens of ns on a shared machine. A case warms up, then micro/core.ts switches counting on for the
// counted calls. Without --only, it rewrites its section of bench/INSTRUCTIONS.md.

import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countProfile, hasValgrind, type Count } from '../lib/callgrind.js';
import { writeInstructionSections } from '../lib/instructions-file.js';
import { machine } from '../lib/machine.js';
import { BENCH_DIR } from '../lib/processes.js';
import type { CountedCase } from './core.js';

const WARMUP_CALLS = 200_000;
const COUNTED_CALLS = 100_000;
const TITLE = 'Core micro-benchmarks: instructions per call';
const V8_FLAGS = [
  '--single-threaded',
  '--no-incremental-marking',
  '--hash-seed=1',
  '--random-seed=1',
  '--min-semi-space-size=64',
];

const argv = process.argv.slice(2);
const only: string[] = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--only' && argv[i + 1] !== undefined) only.push(argv[++i]!);
  else if (argv[i] !== '--') throw new TypeError(`unknown option ${argv[i]}`);
}

if (!hasValgrind()) {
  console.log(
    'valgrind is not installed: no instruction counts (Debian: apt-get install valgrind)',
  );
  process.exit(0);
}

const listed = spawnSync(process.execPath, ['--import', 'tsx', 'micro/core.ts', '--list'], {
  cwd: BENCH_DIR,
  encoding: 'utf8',
});
if (listed.status !== 0) throw new Error(`micro/core.ts --list failed:\n${listed.stderr}`);
const all = JSON.parse(listed.stdout) as CountedCase[];
const selected = all.filter((c) => only.length === 0 || only.some((text) => c.name.includes(text)));
// A case counted is counted with its baseline, so that the table can subtract it.
const names = new Set(selected.flatMap((c) => (c.baseline ? [c.name, c.baseline] : [c.name])));
const cases = all.filter((c) => names.has(c.name));

function count(name: string): Count {
  const file = join(tmpdir(), `breakwater-micro-callgrind-${process.pid}.out`);
  try {
    const run = spawnSync(
      'valgrind',
      [
        '--tool=callgrind',
        '--instr-atstart=no',
        `--callgrind-out-file=${file}`,
        process.execPath,
        ...V8_FLAGS,
        '--import',
        'tsx',
        'micro/core.ts',
        '--count',
        name,
        String(WARMUP_CALLS),
        String(COUNTED_CALLS),
      ],
      { cwd: BENCH_DIR, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (run.status !== 0) throw new Error(`${name}: exited with ${run.status}\n${run.stderr}`);
    return countProfile(file, COUNTED_CALLS);
  } finally {
    rmSync(file, { force: true });
  }
}

const counts = new Map<string, Count>();
for (const c of cases) {
  const result = count(c.name);
  counts.set(c.name, result);
  console.log(`${c.name}: ${Math.round(result.total)} instructions/call`);
}

const rest = (c: Count): number => c.total - c.gc - c.compiler;
const lines = [
  `${machine().date.slice(0, 10)}, Node ${process.version}: ${COUNTED_CALLS.toLocaleString('en')} calls counted after ` +
    `${WARMUP_CALLS.toLocaleString('en')}, one process per case, V8 single-threaded and seeded ` +
    `(\`${V8_FLAGS.join(' ')}\`); "rest" is all but GC (root scans included) and the compiler.`,
  '',
  '| case | instructions/call | GC | rest | rest over its baseline |',
  '|---|---:|---:|---:|---:|',
];
for (const c of cases) {
  const own = counts.get(c.name)!;
  const base = c.baseline === undefined ? undefined : counts.get(c.baseline);
  const over = base === undefined ? '' : `+${Math.round(rest(own) - rest(base))} (${c.baseline})`;
  lines.push(
    `| ${c.name} | ${Math.round(own.total)} | ${Math.round(own.gc)} | ${Math.round(rest(own))} | ${over} |`,
  );
}
console.log(`\n## ${TITLE}\n\n${lines.join('\n')}`);
if (only.length === 0) {
  writeInstructionSections(new Map([[TITLE, lines]]), []);
  console.log('\nwrote bench/INSTRUCTIONS.md');
}
