// `pnpm bench`: core micro-benchmarks, then the HTTP table; writes RESULTS.md (not with --quick).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GROUPS, type Group } from './http/configs.js';
import { runSuite, type GroupResult } from './http/suite.js';
import { parseArgs } from './lib/args.js';
import { machine } from './lib/machine.js';
import { BENCH_DIR, PINNED, exited, spawnNode } from './lib/processes.js';
import { renderReport } from './lib/report.js';
import type { MicroResult } from './micro/core.js';

const args = parseArgs(process.argv.slice(2));
const started = Date.now();

async function runMicro(): Promise<MicroResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'breakwater-bench-'));
  const file = join(dir, 'micro.json');
  try {
    const child = spawnNode('micro/core.ts', {
      core: 0,
      nodeArgs: ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64'],
      args: [file, ...(args.quick ? ['--quick'] : [])],
    });
    const code = await exited(child);
    if (code !== 0) throw new Error(`micro-benchmarks exited with code ${code}`);
    return JSON.parse(readFileSync(file, 'utf8')) as MicroResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function selected(groups: readonly Group[]): Group[] {
  if (args.only.length === 0) return [...groups];
  const match = (text: string): boolean => args.only.some((o) => text.includes(o));
  return groups
    .map((g) => ({ ...g, rows: match(g.title) ? g.rows : g.rows.filter((r) => match(r.id)) }))
    .filter((g) => g.rows.length > 0);
}

const micro = args.micro ? await runMicro() : undefined;
let http: GroupResult[] | undefined;
if (args.http) {
  http = await runSuite(
    selected(GROUPS),
    {
      warmupSeconds: args.warmupSeconds,
      seconds: args.seconds,
      connections: args.connections,
      ...(args.quick ? { requests: 2_000 } : {}),
    },
    args.rounds,
    args.quick ? 6 : 1,
  );
}

const markdown = renderReport({ machine: machine(), args, pinned: PINNED, micro, http });
console.log(markdown);
if (args.out !== undefined) {
  const path = resolve(BENCH_DIR, args.out);
  writeFileSync(path, markdown);
  console.error(`wrote ${path}`);
}
const errors = (http ?? []).flatMap((g) => g.rows).filter((r) => r.skipped?.error === true);
console.error(
  `bench finished in ${((Date.now() - started) / 1000).toFixed(1)} s` +
    (errors.length
      ? `; ${errors.length} configuration(s) failed: ${errors.map((r) => r.row.id).join(', ')}`
      : ''),
);
process.exitCode = errors.length > 0 ? 1 : 0;
