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

import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHED_RPS_TARGET, OPEN_RPS_TARGET } from './http/configs.js';
import { callgrindControl, countProfile, hasValgrind, type Count } from './lib/callgrind.js';
import { writeInstructionSections } from './lib/instructions-file.js';
import { machine } from './lib/machine.js';
import { BENCH_DIR, nextMessage, stop } from './lib/processes.js';
import type { ServerOptions } from './lib/server-options.js';
import { median } from './lib/stats.js';

interface Row {
  readonly id: string;
  readonly server: string;
  /** Given to the server as BENCH_SERVER (lib/server-options.ts). */
  readonly options?: Partial<ServerOptions>;
  /** The path requested (`/hello` unless given) and the status every answer must have (200). */
  readonly path?: string;
  readonly status?: number;
  /** The rows it is held against (open and cached tables). */
  readonly compare?: readonly Comparison[];
  /** Its framework's multiple of the warm-up ({@link WARMUP_SCALE}). */
  readonly warmupScale?: number;
}

/** A row's comparison with another, and the count-equivalent of the HTTP harness's target. */
interface Comparison {
  readonly vs: string;
  /** The most "rest" may be as a multiple of the other row's (1 / the req/s target). */
  readonly atMost?: number;
  /** Whether it must be strictly below that multiple (`req/s > ×1.00`). */
  readonly below?: boolean;
}

/** What a table measures: the closed path (floor and peers), or the open and cached paths. */
type Group = 'closed' | 'open' | 'cached';
const GROUPS: readonly Group[] = ['closed', 'open', 'cached'];
const GROUP_TITLE: Record<Group, string> = {
  closed: 'Closed path: bare, floor, Breakwater and peers',
  open: 'Open path: the 503',
  cached: 'Cached path: 2 KB JSON served from the cache while open',
};

const FRAMEWORKS = ['express', 'koa', 'fastify', 'hono', 'nestjs'] as const;
type Framework = (typeof FRAMEWORKS)[number];
/** The servers that pass `stateHeader` on (lib/extras.ts). */
const LEAN = new Set<string>(['express', 'koa', 'fastify']);
/**
 * Warm-up multiples: Express gives every response a shape of its own and its (and Nest's over it)
 * compiler keeps reoptimizing long after 10,000 requests; counted after 10,000, Express's rows
 * spread over ±7 %, after 40,000 two runs agreed within 1 %. Nest's compiler works through every
 * window even then (its rows stay a few percent apart from run to run).
 */
const WARMUP_SCALE: Partial<Record<Framework, number>> = { express: 4, nestjs: 4 };
/** The servers whose bare app can answer the 503 first and the 2 KB body (open and cached rows). */
const OPEN_AND_CACHED = new Set<string>(['express', 'koa', 'fastify', 'hono']);
/** The peer breaker of a framework, where there is one (the HTTP harness's peer rows). */
const PEERS: Partial<Record<Framework, Row>> = {
  express: { id: 'express-opossum', server: 'servers/express-opossum.ts' },
  fastify: { id: 'fastify-peer', server: 'servers/fastify-peer.ts' },
};

function closedRows(framework: Framework): Row[] {
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

/** The open path against the same 503 written bare from the earliest hook, and bare hello world. */
function openRows(framework: Framework): Row[] {
  if (!OPEN_AND_CACHED.has(framework)) return [];
  return [
    {
      id: `${framework}-503-first`,
      server: `servers/${framework}-bare.ts`,
      options: { route: 'reject503' },
      status: 503,
    },
    {
      id: `${framework}-breakwater-open`,
      server: `servers/${framework}-breakwater.ts`,
      options: { state: 'open' },
      status: 503,
      compare: [
        { vs: `${framework}-503-first`, atMost: 1 / OPEN_RPS_TARGET },
        { vs: `${framework}-bare`, atMost: 1, below: true },
      ],
    },
    { id: `${framework}-bare`, server: `servers/${framework}-bare.ts` },
  ];
}

/**
 * The 2 KB JSON served from the cache while open, against the same body from the bare app and
 * against the cache's exact reply (its headers too) written bare from the earliest hook.
 */
function cachedRows(framework: Framework): Row[] {
  if (!OPEN_AND_CACHED.has(framework)) return [];
  return [
    {
      id: `${framework}-served-first`,
      server: `servers/${framework}-bare.ts`,
      options: { route: 'served' },
      path: '/body',
    },
    {
      id: `${framework}-body`,
      server: `servers/${framework}-bare.ts`,
      options: { route: 'body' },
      path: '/body',
    },
    {
      id: `${framework}-breakwater-cached`,
      server: `servers/${framework}-breakwater.ts`,
      options: { route: 'body', state: 'cached' },
      path: '/body',
      compare: [
        { vs: `${framework}-body`, atMost: 1 / CACHED_RPS_TARGET },
        { vs: `${framework}-served-first` },
      ],
    },
  ];
}

const ROWS: Record<Group, (framework: Framework) => Row[]> = {
  closed: closedRows,
  open: openRows,
  cached: cachedRows,
};

interface Options {
  readonly only: readonly string[];
  /** The tables to measure (`--group`; the closed path unless given). */
  readonly groups: readonly Group[];
  readonly repeats: number;
  readonly warmup: number;
  readonly requests: number;
  readonly connections: number;
  /** Servers measured at a time. */
  readonly jobs: number;
  /** Keep the callgrind profiles (for `callgrind_annotate`) instead of deleting them. */
  readonly keep: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const only: string[] = [];
  const groups: Group[] = [];
  let repeats = 3;
  let warmup = 10000;
  let requests = 6000;
  let connections = 4;
  let jobs = 1;
  let keep = false;
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
    } else if (flag === '--group') {
      if (!GROUPS.includes(value as Group)) {
        throw new TypeError(`--group takes one of ${GROUPS.join(', ')}; got ${String(value)}`);
      }
      groups.push(value as Group);
      i++;
    } else if (flag === '--repeats') repeats = count();
    else if (flag === '--warmup') warmup = count();
    else if (flag === '--requests') requests = count();
    else if (flag === '--connections') connections = count();
    else if (flag === '--jobs') jobs = count();
    else if (flag === '--keep') keep = true;
    else if (flag !== '--') throw new TypeError(`unknown option ${flag}`);
  }
  return {
    only,
    groups: groups.length === 0 ? ['closed'] : groups,
    repeats,
    warmup,
    requests,
    connections,
    jobs,
    keep,
  };
}

/**
 * Sends `total` GETs for the row's path over the agent's keep-alive connections and waits for every
 * answer, each of which must have the row's status. The
 * warm-up and the measured requests share the connections: new ones would make V8 deoptimize and
 * recompile the connection code inside the counted window.
 */
async function drive(
  row: Row,
  agent: Agent,
  port: number,
  total: number,
  connections: number,
): Promise<void> {
  const path = row.path ?? '/hello';
  const status = row.status ?? 200;
  let sent = 0;
  const one = (): Promise<void> => {
    if (sent >= total) return Promise.resolve();
    sent++;
    return new Promise<void>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, agent }, (res) => {
        if (res.statusCode !== status) {
          reject(new Error(`${row.id}: ${path} answered ${res.statusCode}, not ${status}`));
        }
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    }).then(one);
  };
  await Promise.all(Array.from({ length: connections }, one));
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
      const warmup = options.warmup * (row.warmupScale ?? 1);
      await drive(row, agent, port, warmup, options.connections);
      callgrindControl(child.pid!, true);
      await drive(row, agent, port, options.requests, options.connections);
      callgrindControl(child.pid!, false);
    } finally {
      agent.destroy();
    }
  } finally {
    await stop(child);
  }
  if (!stderr.includes('Collected'))
    throw new Error(`${row.id}: callgrind wrote no totals\n${stderr}`);
  return countProfile(file, options.requests);
}

const options = parseOptions(process.argv.slice(2));
if (!hasValgrind()) {
  console.log(
    'valgrind is not installed: no instruction counts (Debian: apt-get install valgrind)',
  );
  process.exit(0);
}
const wanted = (row: Row): boolean =>
  options.only.length === 0 || options.only.some((text) => row.id.includes(text));
/** Each group's rows; a row in two groups (bare hello world) is measured once. */
const tables = options.groups.map((group) => ({
  group,
  rows: FRAMEWORKS.flatMap((framework) =>
    ROWS[group](framework).map((row) => ({ ...row, warmupScale: WARMUP_SCALE[framework] ?? 1 })),
  ).filter(wanted),
}));
const selected = [
  ...new Map(tables.flatMap((table) => table.rows).map((row) => [row.id, row])).values(),
];
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
      if (options.keep) console.log(`  kept ${file}`);
      else rmSync(file, { force: true });
    }
  }
}
await Promise.all(Array.from({ length: options.jobs }, worker));

const medianOf = (id: string, part: (c: Count) => number): number =>
  median(results.get(id)!.map(part));
const rest = (c: Count): number => c.total - c.gc - c.compiler;
const ratioOf = (row: string, other: string): number => medianOf(row, rest) / medianOf(other, rest);

/** The closed path: every row against its framework's floor, bare app and peer. */
function closedTable(rows: readonly Row[]): string[] {
  const lines = [
    '| Row | instructions/request | GC | rest | rest vs floor | rest vs bare | rest vs peer |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const framework = row.id.split('-')[0] as Framework;
    const ratio = (other: string | undefined): string =>
      other !== undefined && other !== row.id && results.has(other)
        ? `×${ratioOf(row.id, other).toFixed(3)}`
        : '';
    lines.push(
      `| ${row.id} | ${Math.round(medianOf(row.id, (c) => c.total))} | ` +
        `${Math.round(medianOf(row.id, (c) => c.gc))} | ${Math.round(medianOf(row.id, rest))} | ` +
        `${ratio(`${framework}-floor`)} | ${ratio(`${framework}-bare`)} | ` +
        `${row.id.includes('breakwater') ? ratio(PEERS[framework]?.id) : ''} |`,
    );
  }
  return lines;
}

/** The open and cached paths: Breakwater's rows against their targets' baselines. */
function targetTable(rows: readonly Row[]): string[] {
  const lines = [
    '| Row | instructions/request | GC | rest | vs | rest ratio | bound (req/s target) | holds |',
    '|---|---:|---:|---:|---|---:|---|---|',
  ];
  for (const row of rows) {
    const cells = `| ${row.id} | ${Math.round(medianOf(row.id, (c) => c.total))} | ${Math.round(medianOf(row.id, (c) => c.gc))} | ${Math.round(medianOf(row.id, rest))} |`;
    const compared = (row.compare ?? []).filter((c) => results.has(c.vs));
    if (compared.length === 0) lines.push(`${cells} | | | |`);
    compared.forEach((c, i) => {
      const ratio = ratioOf(row.id, c.vs);
      const head = `${i === 0 ? cells : '| ↳ | | | |'} ${c.vs} | ×${ratio.toFixed(3)} |`;
      const bound = c.atMost;
      if (bound === undefined) {
        lines.push(`${head} | |`);
        return;
      }
      const holds = c.below === true ? ratio < bound : ratio <= bound;
      const target = c.below === true ? 'req/s > ×1.00' : `req/s ≥ ×${(1 / bound).toFixed(2)}`;
      lines.push(
        `${head} ${c.below === true ? '<' : '≤'} ×${bound.toFixed(3)} (${target}) | ` +
          `${holds ? 'holds' : '**missed**'} |`,
      );
    });
  }
  return lines;
}

/** "40000 for express and nestjs; " where a table's rows warm up longer than the rest. */
function scaledWarmups(rows: readonly Row[]): string {
  const scaled = new Map<number, Set<string>>();
  for (const row of rows) {
    const scale = row.warmupScale ?? 1;
    if (scale === 1) continue;
    const names = scaled.get(scale) ?? new Set<string>();
    names.add(row.id.slice(0, row.id.indexOf('-')));
    scaled.set(scale, names);
  }
  return [...scaled]
    .map(([scale, names]) => `${options.warmup * scale} for ${[...names].join(' and ')}; `)
    .join('');
}

const host = machine();
const sections = new Map<string, string[]>();
for (const { group, rows } of tables) {
  sections.set(GROUP_TITLE[group], [
    `${host.date.slice(0, 10)}, Node ${host.node}: medians of ${options.repeats} runs, ${options.requests} requests each after ${options.warmup} ` +
      `(${scaledWarmups(rows)}${options.connections} keep-alive connections); "rest" is all but GC ` +
      `(root scans included) and the compiler.`,
    '',
    ...(group === 'closed' ? closedTable(rows) : targetTable(rows)),
  ]);
}
for (const [title, lines] of sections) console.log(`\n## ${title}\n\n${lines.join('\n')}`);

if (options.only.length === 0) {
  writeInstructionSections(
    sections,
    GROUPS.map((group) => GROUP_TITLE[group]),
  );
  console.log('\nwrote bench/INSTRUCTIONS.md');
}
