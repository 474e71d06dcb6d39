// Core micro-benchmarks: breakwater's permit paths beside a bare async call, opossum and cockatiel.
// Run by run.ts as `node --expose-gc --min-semi-space-size=64 --import tsx micro/core.ts <out.json> [--quick]`;
// by micro/counts.ts as `micro/core.ts --list` (the synchronous cases) and, under callgrind,
// `micro/core.ts --count <case> <warm-up calls> <counted calls>`.

import { writeFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse, type OutgoingHttpHeaders } from 'node:http';
import { Socket } from 'node:net';
import { CircuitBreaker, KeyedBreakers, type Permit, type Rejection } from '@breakwater/core';
import {
  ANSWERED,
  ORIGIN_SCOPE,
  rejectionResponse,
  RequestGuard,
  type FrameworkBinding,
} from '@breakwater/core/adapter';
import {
  ConsecutiveBreaker,
  circuitBreaker as cockatielBreaker,
  handleAll,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { bench, do_not_optimize, run } from 'mitata';
import Opossum from 'opossum';
import { callgrindControl } from '../lib/callgrind.js';
import { openReply } from '../lib/payloads.js';
import { median } from '../lib/stats.js';
import { bytesPerCall } from './alloc.js';

/** One benchmark's figures. */
export interface MicroResult {
  readonly name: string;
  readonly group: 'closed' | 'open' | 'keyed' | 'adapter';
  /** Median (p50) and mean time per call, ns. */
  readonly p50: number;
  readonly avg: number;
  /** Median bytes allocated per call. */
  readonly bytes: number;
  readonly async: boolean;
  /** The case whose figures the report subtracts from this one's ("over"). */
  readonly baseline?: string;
  /** The case the issue sets a target for; `overBaseline`: held by the figures over its baseline. */
  readonly target?: {
    readonly ns: number;
    readonly bytes?: number;
    readonly overBaseline?: boolean;
  };
}

const argv = process.argv.slice(2);
const counted = argv[0] === '--count' ? argv[1] : undefined;
const listing = argv[0] === '--list';
const [out, ...flags] = counted !== undefined || listing ? [] : argv;
const quick = flags.includes('--quick');

const OPEN_FOR = 3_600_000;
const work = async (): Promise<number> => 1;
const fail = async (): Promise<never> => {
  throw new Error('down');
};

// --- the breakers under test -------------------------------------------------------------
const closed = new CircuitBreaker({ name: 'bench-closed', openDuration: OPEN_FOR });
const countWindow = new CircuitBreaker({
  name: 'bench-count-window',
  failureRateThreshold: 50,
  window: { type: 'count', size: 100 },
  openDuration: OPEN_FOR,
});
const timeWindow = new CircuitBreaker({
  name: 'bench-time-window',
  failureRateThreshold: 50,
  window: { type: 'time', duration: 60_000 },
  openDuration: OPEN_FOR,
});
const open = new CircuitBreaker({ name: 'bench-open', openDuration: OPEN_FOR });
for (let i = 0; i < 10; i++) {
  const permit = open.tryAcquire();
  if (permit.admitted) permit.failure();
}
if (open.state !== 'open') throw new Error('could not open the breakwater breaker');
const keyed = new KeyedBreakers({ name: 'bench-keyed', openDuration: OPEN_FOR }, 1000);
const KEYS = Array.from({ length: 100 }, (_, i) => `tenant-${i}`);

const opossumClosed = new Opossum(work, { resetTimeout: OPEN_FOR });
const opossumOpen = new Opossum(work, { resetTimeout: OPEN_FOR });
opossumOpen.open();

const cockatiel = (): CircuitBreakerPolicy =>
  cockatielBreaker(handleAll, { halfOpenAfter: OPEN_FOR, breaker: new ConsecutiveBreaker(5) });
const cockatielClosed = cockatiel();
const cockatielOpen = cockatiel();
for (let i = 0; i < 5; i++) await cockatielOpen.execute(fail).catch(() => undefined);

// What every adapter does per request, on a real (unconnected) ServerResponse. The binding writes
// a short-circuit as Fastify does (status and headers in one writeHead, then end).
const nodeBinding: FrameworkBinding<IncomingMessage, ServerResponse> = {
  rawRequest: (req) => req,
  rawResponse: (_req, res) => res,
  getHeader: (_req, res, name) => res.getHeader(name),
  send: (_req, res, reply) =>
    void res.writeHead(reply.status, reply.headers as OutgoingHttpHeaders).end(reply.body),
  callOnReject: () => undefined,
  responded: (_req, res) => res.headersSent,
};
const guard = new RequestGuard({ openDuration: OPEN_FOR }, nodeBinding, 'bench-guard');
const openGuard = new RequestGuard({ openDuration: OPEN_FOR }, nodeBinding, 'bench-guard-open');
const leanGuard = new RequestGuard(
  { openDuration: OPEN_FOR, stateHeader: 'when-not-closed' },
  nodeBinding,
  'bench-guard-lean',
);
for (const breaker of openGuard.breakers()) {
  for (let i = 0; i < 10 && breaker.state !== 'open'; i++) {
    const permit = breaker.tryAcquire();
    if (permit.admitted) permit.failure();
  }
}
if (openGuard.breakers()[0]?.state !== 'open') throw new Error('could not open the guard breaker');

const socket = new Socket();
const JSON_HEAD = { 'content-type': 'application/json' };
/** The same head with the state header the contract adds, as an app would write it by hand. */
const JSON_HEAD_STATE = { 'content-type': 'application/json', 'X-Circuit-Breaker-State': 'closed' };
const BODY = JSON.stringify({ hello: 'world' });
let response: ServerResponse | undefined;

/**
 * What a response does in each adapter row before its head: nothing, a breaker, the floor, or
 * 'contract' (no breaker; the app's own headers object carries the state header).
 */
type Before = RequestGuard<IncomingMessage, ServerResponse> | 'floor' | 'contract' | undefined;

/** The floor's completion observer: does nothing. */
function observed(): void {}

/**
 * One response the way Node's server and Fastify drive it: the request's headers read (every
 * framework does, so Node builds them in every row), a head with its headers object, the body and
 * end(), then the 'finish' and 'close' the server emits once the socket took the bytes (an
 * unconnected response buffers them, so both are emitted here). A guard enters first: admitted,
 * its hooks stamp and settle on the head and see an ended response on close. The floor sets the
 * state header and adds one 'close' listener, the least that keeps the contract.
 */
function respond(before: Before): void {
  const req = new IncomingMessage(socket);
  const res = new ServerResponse(req);
  do_not_optimize(req.headers);
  let answered = false;
  if (before === 'floor') {
    res.setHeader('X-Circuit-Breaker-State', 'closed');
    res.once('close', observed);
  } else if (before !== undefined && before !== 'contract') {
    answered = before.enter(req, res) === ANSWERED;
  }
  if (!answered) {
    res.writeHead(200, before === 'contract' ? JSON_HEAD_STATE : JSON_HEAD);
    res.end(BODY);
  }
  res.emit('finish');
  res.emit('close');
  response = res;
}

/** The open guard's 503, byte for byte (its name, scope and Retry-After), for the bare row. */
const OPEN_503 = openReply('bench-guard-open', ORIGIN_SCOPE);

/** The bare counterpart of an open guard's answer: the same 503 written as the binding writes it. */
function respond503(): void {
  const req = new IncomingMessage(socket);
  const res = new ServerResponse(req);
  do_not_optimize(req.headers);
  res.writeHead(OPEN_503.status, OPEN_503.headers).end(OPEN_503.body);
  res.emit('finish');
  res.emit('close');
  response = res;
}

// Where an adapter keeps the permit between the handler's start and its end (so it escapes).
let held: Permit | Rejection | undefined;
let k = 0;

/** The bare row: what the adapter rows are built on ("bare" in their names). */
const NODE_200 =
  'node (bare): new req/res, req.headers, writeHead(200, headers), end, finish/close';
const NODE_200_STATE =
  'node: bare, the state header written by hand in its headers object (the contract alone)';
const NODE_503 = 'node: new req/res + the same 503 written bare + finish/close (no breaker)';

interface Case {
  readonly name: string;
  readonly group: MicroResult['group'];
  readonly fn: () => unknown;
  readonly async: boolean;
  readonly target?: MicroResult['target'];
  readonly baseline?: string;
}

const cases: Case[] = [
  { name: 'bare async call', group: 'closed', async: true, fn: () => work() },
  {
    name: 'breakwater acquire + success (closed)',
    group: 'closed',
    async: false,
    target: { ns: 50, bytes: 0 },
    fn: () => {
      held = closed.tryAcquire();
      if (held.admitted) held.success();
    },
  },
  {
    name: 'breakwater acquire + record({ status }) (closed)',
    group: 'closed',
    async: false,
    fn: () => {
      held = closed.tryAcquire();
      if (held.admitted) held.record({ status: 200 });
    },
  },
  {
    name: 'breakwater acquire + success, count window (rate policy)',
    group: 'closed',
    async: false,
    fn: () => {
      held = countWindow.tryAcquire();
      if (held.admitted) held.success();
    },
  },
  {
    name: 'breakwater acquire + success, time window (rate policy)',
    group: 'closed',
    async: false,
    fn: () => {
      held = timeWindow.tryAcquire();
      if (held.admitted) held.success();
    },
  },
  {
    name: 'breakwater execute() (closed)',
    group: 'closed',
    async: true,
    fn: () => closed.execute(work),
  },
  { name: 'opossum fire() (closed)', group: 'closed', async: true, fn: () => opossumClosed.fire() },
  {
    name: 'cockatiel execute() (closed)',
    group: 'closed',
    async: true,
    fn: () => cockatielClosed.execute(work),
  },
  {
    name: 'breakwater tryAcquire() rejection (open)',
    group: 'open',
    async: false,
    target: { ns: 100 },
    fn: () => {
      held = open.tryAcquire();
    },
  },
  {
    name: 'breakwater rejection + rejectionResponse() (open)',
    group: 'open',
    async: false,
    fn: () => {
      const rejection = open.tryAcquire();
      if (!rejection.admitted) do_not_optimize(rejectionResponse(rejection));
    },
  },
  {
    name: 'breakwater execute() rejects (open)',
    group: 'open',
    async: true,
    fn: () => open.execute(work).catch(() => undefined),
  },
  {
    name: 'opossum fire() rejects (open)',
    group: 'open',
    async: true,
    fn: () => opossumOpen.fire().catch(() => undefined),
  },
  {
    name: 'cockatiel execute() rejects (open)',
    group: 'open',
    async: true,
    fn: () => cockatielOpen.execute(work).catch(() => undefined),
  },
  {
    name: 'breakwater keyed get(key) + acquire + success (100 keys)',
    group: 'keyed',
    async: false,
    fn: () => {
      held = keyed.get(KEYS[k++ % 100]!).tryAcquire();
      if (held.admitted) held.success();
    },
  },
  {
    name: NODE_200,
    group: 'adapter',
    async: false,
    fn: () => respond(undefined),
  },
  {
    name: 'node floor: bare + setHeader(X-Circuit-Breaker-State) + a close listener',
    group: 'adapter',
    async: false,
    baseline: NODE_200,
    fn: () => respond('floor'),
  },
  {
    name: NODE_200_STATE,
    group: 'adapter',
    async: false,
    baseline: NODE_200,
    fn: () => respond('contract'),
  },
  {
    name: 'bare + RequestGuard.enter, admitted (head stamps + settles, close)',
    group: 'adapter',
    async: false,
    baseline: NODE_200_STATE,
    target: { ns: 300, bytes: 300, overBaseline: true },
    fn: () => respond(guard),
  },
  {
    name: "bare + RequestGuard.enter, stateHeader 'when-not-closed' (no header on a closed head)",
    group: 'adapter',
    async: false,
    baseline: NODE_200,
    target: { ns: 300, bytes: 300, overBaseline: true },
    fn: () => respond(leanGuard),
  },
  {
    name: NODE_503,
    group: 'adapter',
    async: false,
    fn: respond503,
  },
  {
    name: 'RequestGuard.enter rejects (open): built-in 503, close',
    group: 'adapter',
    async: false,
    baseline: NODE_503,
    fn: () => respond(openGuard),
  },
];

/** One synchronous case as micro/counts.ts lists it. */
export interface CountedCase {
  readonly name: string;
  readonly baseline?: string;
}

/** Calls `fn` `n` times (one function for the warm-up and the counted calls: the same code). */
function repeat(fn: () => unknown, n: number): void {
  for (let i = 0; i < n; i++) fn();
}

if (listing) {
  const sync: CountedCase[] = cases
    .filter((c) => !c.async)
    .map((c) => ({ name: c.name, ...(c.baseline ? { baseline: c.baseline } : {}) }));
  console.log(JSON.stringify(sync));
  process.exit(0);
}
if (counted !== undefined) {
  const c = cases.find((one) => one.name === counted && !one.async);
  if (c === undefined) throw new TypeError(`--count: no synchronous case named ${counted}`);
  repeat(c.fn, Number(argv[2]));
  callgrindControl(process.pid, true);
  repeat(c.fn, Number(argv[3]));
  callgrindControl(process.pid, false);
  do_not_optimize(held);
  do_not_optimize(response);
  process.exit(0);
}

/** Quick mode's stand-in for mitata: mean ns per call over `n` calls, median of three rounds. */
async function roughTime(c: Case, n: number): Promise<{ p50: number; avg: number }> {
  const rounds: number[] = [];
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    if (c.async) for (let i = 0; i < n; i++) await c.fn();
    else for (let i = 0; i < n; i++) c.fn();
    rounds.push(Number(process.hrtime.bigint() - start) / n);
  }
  rounds.sort((a, b) => a - b);
  return { p50: rounds[1]!, avg: rounds[1]! };
}

/** Each benchmark's p50 and mean from a mitata run, by name. */
function timesOf(
  report: Awaited<ReturnType<typeof run>>,
): Map<string, { p50: number; avg: number }> {
  const times = new Map<string, { p50: number; avg: number }>();
  for (const trial of report.benchmarks) {
    const stats = trial.runs[0]?.stats;
    if (stats) times.set(trial.alias, { p50: stats.p50, avg: stats.avg });
  }
  return times;
}

/** Rounds of the adapter rows, each measured once per round in turn (A B C A B C …). */
const ADAPTER_ROUNDS = 7;

/**
 * The adapter rows differ from their baselines by a few hundred ns on a ~1 µs call, while the
 * shared machine drifts by as much from one second to the next: each row is measured once per
 * round, interleaved, and keeps the median of its rounds (p50 and mean), so drift hits every row
 * alike instead of whichever ran during it.
 */
async function interleaved(
  adapterCases: readonly Case[],
): Promise<Map<string, { p50: number; avg: number }>> {
  const rounds = new Map<string, { p50: number[]; avg: number[] }>();
  for (const c of adapterCases) rounds.set(c.name, { p50: [], avg: [] });
  for (let round = 0; round < ADAPTER_ROUNDS; round++) {
    // mitata runs what was registered since its last run, so each round registers the rows anew
    for (const c of adapterCases) bench(c.name, c.fn);
    for (const [name, time] of timesOf(await run({ format: 'quiet', throw: true }))) {
      rounds.get(name)?.p50.push(time.p50);
      rounds.get(name)?.avg.push(time.avg);
    }
  }
  const times = new Map<string, { p50: number; avg: number }>();
  for (const [name, r] of rounds) times.set(name, { p50: median(r.p50), avg: median(r.avg) });
  return times;
}

const times = new Map<string, { p50: number; avg: number }>();
if (quick) {
  for (const c of cases) times.set(c.name, await roughTime(c, 5_000));
} else {
  for (const c of cases) if (c.group !== 'adapter') bench(c.name, c.fn);
  for (const [name, time] of timesOf(await run({ format: 'mitata', colors: false, throw: true }))) {
    times.set(name, time);
  }
  for (const [name, time] of await interleaved(cases.filter((c) => c.group === 'adapter'))) {
    times.set(name, time);
  }
}

const results: MicroResult[] = [];
for (const c of cases) {
  const time = times.get(c.name);
  // An adapter case allocates a few KB per call: fewer calls keep the young generation unscavenged.
  const bytes = await bytesPerCall(c.fn, {
    n: quick || c.group === 'adapter' ? 2_000 : 20_000,
    rounds: quick ? 3 : 7,
    async: c.async,
  });
  results.push({
    name: c.name,
    group: c.group,
    p50: time?.p50 ?? Number.NaN,
    avg: time?.avg ?? Number.NaN,
    bytes,
    async: c.async,
    ...(c.target ? { target: c.target } : {}),
    ...(c.baseline || c.async ? { baseline: c.baseline ?? 'bare async call' } : {}),
  });
}

do_not_optimize(held);
do_not_optimize(response);
opossumClosed.shutdown();
opossumOpen.shutdown();
if (out) writeFileSync(out, JSON.stringify(results, null, 2));
else console.table(results);
