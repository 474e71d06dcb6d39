// Instructions per request under callgrind: the closed path of each adapter against its floor and
// bare framework, in counts that repeat on a shared, noisy machine where CPU time does not.
//
//   pnpm --filter @breakwater/bench instructions [--only TEXT] [--repeats N] [--requests N]
//
// Each server runs under `valgrind --tool=callgrind` with instrumentation off; the harness sends a
// warm-up, switches instrumentation on (`callgrind_control -i on`), sends the measured requests
// on keep-alive connections from this process (not counted), switches it off and stops the server.
// Counted: everything the server process executes for those requests, JIT code, V8's runtime, GC,
// compiler threads, Node's C++ and libc. The GC and compiler parts come in steps (a major GC every
// few thousand requests), so they are reported apart from the rest.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine } from './lib/machine.js';
import { BENCH_DIR, nextMessage, stop } from './lib/processes.js';
import type { ServerOptions } from './lib/server-options.js';
import { median } from './lib/stats.js';

interface Row {
  readonly id: string;
  readonly server: string;
  /** Given to the server as BENCH_SERVER (lib/server-options.ts). */
  readonly options?: Partial<ServerOptions>;
}

const FRAMEWORKS = ['express', 'koa', 'fastify', 'hono', 'nestjs'] as const;
/** The servers that pass `stateHeader` on (lib/extras.ts). */
const LEAN = new Set<string>(['express', 'koa', 'fastify']);
/** The peer breaker of a framework, where there is one (the HTTP harness's peer rows). */
const PEERS: Partial<Record<(typeof FRAMEWORKS)[number], Row>> = {
  express: { id: 'express-opossum', server: 'servers/express-opossum.ts' },
  fastify: { id: 'fastify-peer', server: 'servers/fastify-peer.ts' },
};

function rows(framework: (typeof FRAMEWORKS)[number]): Row[] {
  const all: Row[] = [
    { id: `${framework}-bare`, server: `servers/${framework}-bare.ts` },
    { id: `${framework}-floor`, server: `servers/${framework}-floor.ts` },
    { id: `${framework}-breakwater`, server: `servers/${framework}-breakwater.ts` },
  ];
  if (LEAN.has(framework)) {
    all.push({
      id: `${framework}-breakwater-lean`,
      server: `servers/${framework}-breakwater.ts`,
      options: { stateHeader: 'when-not-closed' },
    });
  }
  const peer = PEERS[framework];
  if (peer !== undefined) all.push(peer);
  // What Fastify charges for running any onRequest hook: the part of a breaker's cost not its own.
  if (framework === 'fastify') all.push({ id: 'fastify-hook', server: 'servers/fastify-hook.ts' });
  return all;
}

interface Options {
  readonly only: readonly string[];
  readonly repeats: number;
  readonly warmup: number;
  readonly requests: number;
  readonly connections: number;
  /** Servers measured at a time. */
  readonly jobs: number;
}

function parseOptions(argv: readonly string[]): Options {
  const only: string[] = [];
  let repeats = 3;
  let warmup = 10000;
  let requests = 6000;
  let connections = 4;
  let jobs = 1;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const count = (): number => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new TypeError(`${flag} takes a positive integer`);
      i++;
      return n;
    };
    if (flag === '--only' && value !== undefined) {
      only.push(value);
      i++;
    } else if (flag === '--repeats') repeats = count();
    else if (flag === '--warmup') warmup = count();
    else if (flag === '--requests') requests = count();
    else if (flag === '--connections') connections = count();
    else if (flag === '--jobs') jobs = count();
    else if (flag !== '--') throw new TypeError(`unknown option ${flag}`);
  }
  return { only, repeats, warmup, requests, connections, jobs };
}

/**
 * Sends `total` GETs over the agent's keep-alive connections and waits for every answer. The
 * warm-up and the measured requests share the connections: new ones would make V8 deoptimize and
 * recompile the connection code inside the counted window.
 */
async function drive(
  agent: Agent,
  port: number,
  total: number,
  connections: number,
): Promise<void> {
  let sent = 0;
  const one = (): Promise<void> => {
    if (sent >= total) return Promise.resolve();
    sent++;
    return new Promise<void>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/hello', agent }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`/hello answered ${res.statusCode}`));
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    }).then(one);
  };
  await Promise.all(Array.from({ length: connections }, one));
}

/** What one counted run measured, per request. */
interface Count {
  readonly total: number;
  /** Garbage collection (scavenges, marking, sweeping, compaction). */
  readonly gc: number;
  /** The optimizing compilers and the parser. */
  readonly compiler: number;
}

const GC =
  /Scaveng|Marking|Mark[A-Z]|Sweep|Evacuat|Compact|MemoryChunk|RememberedSet|SlotSet|Heap::|BodyDescriptor/;
const COMPILER = /compiler::|maglev::|Maglev|Turbofan|Parser|Compiler::|Pipeline/;

/** Splits a callgrind profile's per-function totals into GC, compiler and the rest. */
function count(file: string, requests: number): Count {
  const out = spawnSync('callgrind_annotate', ['--threshold=100', file], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  }).stdout;
  let total = 0;
  let gc = 0;
  let compiler = 0;
  for (const line of out.split('\n')) {
    const match = /^\s*([\d,]+)\s+\([^)]*\)\s+(.*)$/.exec(line);
    if (match === null) continue;
    const value = Number(match[1]!.replaceAll(',', ''));
    const name = match[2]!;
    if (name.includes('PROGRAM TOTALS')) total = value;
    else if (GC.test(name)) gc += value;
    else if (COMPILER.test(name)) compiler += value;
  }
  if (total === 0) throw new Error(`no instructions counted in ${file}`);
  return { total: total / requests, gc: gc / requests, compiler: compiler / requests };
}

function callgrindControl(pid: number, on: boolean): void {
  const result = spawnSync('callgrind_control', ['-i', on ? 'on' : 'off', String(pid)], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`callgrind_control failed: ${result.stderr}`);
}

async function measure(row: Row, options: Options, file: string): Promise<Count> {
  const child: ChildProcess = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${file}`,
      process.execPath,
      // Major GCs at once, not in increments: while incremental marking runs, every write in JIT
      // code takes the marking barrier, which inflated "rest" by ~2,500 instructions/request on Koa
      // in windows where a major GC began (and not in others), more than the gaps being measured.
      '--no-incremental-marking',
      '--import',
      'tsx',
      row.server,
    ],
    {
      cwd: BENCH_DIR,
      env: { ...process.env, BENCH_SERVER: JSON.stringify(row.options ?? {}) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  try {
    const port = await nextMessage(
      child,
      (message) => {
        const m = message as { type?: string; port?: number; reason?: string };
        if (m.type === 'skip') throw new Error(`${row.id} skipped: ${m.reason}`);
        return m.type === 'ready' ? m.port : undefined;
      },
      600_000,
      `${row.id} under valgrind`,
    );
    const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
    try {
      await drive(agent, port, options.warmup, options.connections);
      callgrindControl(child.pid!, true);
      await drive(agent, port, options.requests, options.connections);
      callgrindControl(child.pid!, false);
    } finally {
      agent.destroy();
    }
  } finally {
    await stop(child);
  }
  if (!stderr.includes('Collected'))
    throw new Error(`${row.id}: callgrind wrote no totals\n${stderr}`);
  return count(file, options.requests);
}

const options = parseOptions(process.argv.slice(2));
if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.log(
    'valgrind is not installed: no instruction counts (Debian: apt-get install valgrind)',
  );
  process.exit(0);
}
const selected = FRAMEWORKS.flatMap(rows).filter(
  (row) => options.only.length === 0 || options.only.some((text) => row.id.includes(text)),
);
const results = new Map<string, Count[]>(selected.map((row) => [row.id, []]));
// One server at a time by default: the load comes from this process, and a server that is not kept
// busy (the client starved of CPU) handles fewer requests per event-loop turn, which costs more
// instructions per request. `--jobs 2` halves the time where a core is free for the client.
const tasks = Array.from({ length: options.repeats }, (_, i) =>
  selected.map((row) => ({ row, round: i + 1 })),
).flat();
async function worker(): Promise<void> {
  for (let task = tasks.shift(); task !== undefined; task = tasks.shift()) {
    const { row, round } = task;
    const file = join(tmpdir(), `breakwater-callgrind-${process.pid}-${row.id}-${round}.out`);
    try {
      const counted = await measure(row, options, file);
      results.get(row.id)!.push(counted);
      console.log(
        `[${round}/${options.repeats}] ${row.id}: ${Math.round(counted.total)} instructions/request ` +
          `(GC ${Math.round(counted.gc)}, compiler ${Math.round(counted.compiler)})`,
      );
    } finally {
      rmSync(file, { force: true });
    }
  }
}
await Promise.all(Array.from({ length: options.jobs }, worker));

const medianOf = (id: string, part: (c: Count) => number): number =>
  median(results.get(id)!.map(part));
const rest = (c: Count): number => c.total - c.gc - c.compiler;
const lines: string[] = [
  `Medians of ${options.repeats} runs, ${options.requests} requests each after ${options.warmup} ` +
    `(${options.connections} keep-alive connections); "rest" is all but GC and the compiler.`,
  '',
  '| Row | instructions/request | GC | rest | rest vs floor | rest vs bare | rest vs peer |',
  '|---|---:|---:|---:|---:|---:|---:|',
];
for (const row of selected) {
  const framework = row.id.split('-')[0] as (typeof FRAMEWORKS)[number];
  const mine = medianOf(row.id, rest);
  const ratio = (other: string | undefined): string =>
    other !== undefined && other !== row.id && results.has(other)
      ? `×${(mine / medianOf(other, rest)).toFixed(3)}`
      : '';
  lines.push(
    `| ${row.id} | ${Math.round(medianOf(row.id, (c) => c.total))} | ` +
      `${Math.round(medianOf(row.id, (c) => c.gc))} | ${Math.round(mine)} | ` +
      `${ratio(`${framework}-floor`)} | ${ratio(`${framework}-bare`)} | ` +
      `${row.id.includes('breakwater') ? ratio(PEERS[framework]?.id) : ''} |`,
  );
}
console.log(`\n${lines.join('\n')}`);
if (options.only.length === 0) {
  const host = machine();
  const head = [
    '# Instructions per request',
    '',
    'Written by `pnpm --filter @breakwater/bench instructions` (see README.md, "Instructions per',
    'request"); counted by callgrind, so the figures repeat on a busy machine where CPU time does not.',
    `${host.date.slice(0, 10)}, Node ${host.node}, ${host.cpu}, ${host.platform}.`,
    '',
  ];
  writeFileSync(new URL('INSTRUCTIONS.md', import.meta.url), `${[...head, ...lines].join('\n')}\n`);
  console.log('\nwrote bench/INSTRUCTIONS.md');
}
