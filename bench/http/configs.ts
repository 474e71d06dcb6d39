// The HTTP benchmark table: one entry per configuration, grouped into sets that run interleaved.

import type { ServerOptions } from '../lib/server-options.js';

/** Ratios of one row to another, from rounds run side by side. */
export interface Ratios {
  /** Row req/s ÷ other req/s (median over rounds). */
  readonly rps: number;
  /** Row server CPU per request ÷ other's (median over rounds). */
  readonly cpu: number;
}

/** A target a comparison is held to. */
export interface Target {
  readonly text: string;
  readonly holds: (ratios: Ratios) => boolean;
}

/** A row's comparison with another row of its group. */
export interface Comparison {
  readonly vs: string;
  readonly target?: Target;
}

/** One configuration: a server file, what it is asked to do, and what it is compared with. */
export interface Row {
  /** Unique id, also used in `--only`. */
  readonly id: string;
  /** What the results table calls it. */
  readonly label: string;
  /** The file under `servers/`, without `.ts`. */
  readonly server: string;
  readonly options?: Partial<ServerOptions>;
  /** The path loaded; `distinctPaths` appends 0 … n-1 to it. */
  readonly path: string;
  readonly distinctPaths?: number;
  /** The status every response must have. */
  readonly status: number;
  readonly compare?: readonly Comparison[];
  /** Report heap growth and breakers held (keyed rows), with their targets. */
  readonly heap?: { readonly maxGrowthBytes: number; readonly maxBreakers: number };
}

/** Rows that run interleaved (A B C A B C …) and are compared with each other. */
export interface Group {
  readonly title: string;
  readonly rows: readonly Row[];
}

/** The open path's req/s against the same 503 written bare from the earliest hook (at least). */
export const OPEN_RPS_TARGET = 0.97;
/** The cached path's req/s against the same body from the bare app (at least). */
export const CACHED_RPS_TARGET = 0.9;

const atLeast = (rps: number): Target => ({
  text: `req/s ≥ ×${rps.toFixed(2)}`,
  holds: (r) => r.rps >= rps,
});
const above: Target = { text: 'req/s > ×1.00', holds: (r) => r.rps > 1 };
const ahead: Target = { text: 'less CPU/req (ahead)', holds: (r) => r.cpu < 1 };

type Framework = 'express' | 'koa' | 'fastify';
const FRAMEWORKS: readonly Framework[] = ['express', 'koa', 'fastify'];
const TITLE: Record<Framework, string> = {
  express: 'Express 5',
  koa: 'Koa 3',
  fastify: 'Fastify 5',
};
/** The closed-path target (issue 14): server CPU per request within 1 % of the floor. */
const FLOOR_TARGET: Target = {
  text: 'CPU/req ≤ ×1.01',
  holds: (r) => r.cpu <= 1.01,
};

/** The peer each framework's closed path is held against, when there is one (its server file is its row id). */
const PEER: Partial<Record<Framework, { readonly server: string; readonly label: string }>> = {
  express: { server: 'express-opossum', label: 'express + opossum' },
  fastify: { server: 'fastify-peer', label: 'fastify + @fastify/circuit-breaker' },
};

/**
 * Bare, floor, Breakwater and the peer, interleaved. The floor is the bare app plus one no-op
 * middleware/hook that sets the same state header and observes completion: the least any in-band
 * breaker keeping the contract can cost. Every other row is compared with the floor and with bare.
 */
function closedGroup(fw: Framework): Group {
  const bare = `${fw}-bare`;
  const floor = `${fw}-floor`;
  const peer = PEER[fw];
  const peerId = peer?.server;
  const rows: Row[] = [
    { id: bare, label: `${fw} bare`, server: bare, path: '/hello', status: 200 },
    {
      id: floor,
      label: `${fw} floor (no-op header + completion hook)`,
      server: floor,
      path: '/hello',
      status: 200,
      compare: [{ vs: bare }],
    },
    {
      id: `${fw}-breakwater`,
      label: `${fw} + breakwater (closed)`,
      server: `${fw}-breakwater`,
      path: '/hello',
      status: 200,
      compare: [
        { vs: floor, target: FLOOR_TARGET },
        { vs: bare },
        ...(peerId === undefined ? [] : [{ vs: peerId, target: ahead }]),
      ],
    },
  ];
  if (fw === 'fastify' && peerId !== undefined) {
    // The leanest closed path: no state header on closed responses (issue 14: held against the peer).
    rows.push({
      id: `${fw}-breakwater-lean`,
      label: `${fw} + breakwater (closed, stateHeader: 'when-not-closed')`,
      server: `${fw}-breakwater`,
      options: { stateHeader: 'when-not-closed' },
      path: '/hello',
      status: 200,
      compare: [{ vs: floor }, { vs: bare }, { vs: peerId, target: ahead }],
    });
  }
  if (peer !== undefined) {
    rows.push({
      id: peer.server,
      label: peer.label,
      server: peer.server,
      path: '/hello',
      status: 200,
      compare: [{ vs: floor }, { vs: bare }],
    });
  }
  return { title: `${TITLE[fw]}: closed path, floor and peers`, rows };
}

function openGroup(fw: Framework): Group {
  return {
    title: `${TITLE[fw]}: open path (503)`,
    rows: [
      {
        id: `${fw}-503-first`,
        label: `${fw} bare 503 from the earliest hook`,
        server: `${fw}-bare`,
        options: { route: 'reject503' },
        path: '/hello',
        status: 503,
      },
      {
        id: `${fw}-breakwater-open`,
        label: `${fw} + breakwater (open, 503)`,
        server: `${fw}-breakwater`,
        options: { state: 'open' },
        path: '/hello',
        status: 503,
        compare: [
          { vs: `${fw}-503-first`, target: atLeast(OPEN_RPS_TARGET) },
          { vs: `${fw}-open-hello`, target: above },
        ],
      },
      {
        id: `${fw}-open-hello`,
        label: `${fw} bare hello world`,
        server: `${fw}-bare`,
        path: '/hello',
        status: 200,
      },
    ],
  };
}

function cachedGroup(fw: Framework): Group {
  return {
    title: `${TITLE[fw]}: cached path (2 KB JSON while open)`,
    rows: [
      {
        id: `${fw}-body`,
        label: `${fw} bare, 2 KB JSON`,
        server: `${fw}-bare`,
        options: { route: 'body' },
        path: '/body',
        status: 200,
      },
      {
        id: `${fw}-breakwater-cached`,
        label: `${fw} + breakwater (open, served from cache)`,
        server: `${fw}-breakwater`,
        options: { route: 'body', state: 'cached' },
        path: '/body',
        status: 200,
        compare: [{ vs: `${fw}-body`, target: atLeast(CACHED_RPS_TARGET) }],
      },
    ],
  };
}

const keyedGroup: Group = {
  title: 'Fastify 5: 10,000 distinct keys, maxBreakers 1,000',
  rows: [
    {
      id: 'fastify-keys-bare',
      label: 'fastify bare, 10,000 paths',
      server: 'fastify-bare',
      path: '/k/',
      distinctPaths: 10_000,
      status: 200,
    },
    {
      id: 'fastify-keys-breakwater',
      label: 'fastify + breakwater keyed by path',
      server: 'fastify-breakwater',
      options: { keyed: true },
      path: '/k/',
      distinctPaths: 10_000,
      status: 200,
      compare: [{ vs: 'fastify-keys-bare' }],
      heap: { maxGrowthBytes: 20 * 1024 * 1024, maxBreakers: 1000 },
    },
  ],
};

const extrasGroup: Group = {
  title: 'Fastify 5: metrics and shared store',
  rows: [
    {
      id: 'fastify-memory',
      label: 'fastify + breakwater (in-memory, no metrics)',
      server: 'fastify-breakwater',
      path: '/hello',
      status: 200,
    },
    {
      id: 'fastify-metrics',
      label: 'fastify + breakwater + registerMetrics',
      server: 'fastify-breakwater',
      options: { metrics: true },
      path: '/hello',
      status: 200,
      compare: [{ vs: 'fastify-memory' }],
    },
    {
      id: 'fastify-redis',
      label: 'fastify + breakwater + RedisStore',
      server: 'fastify-breakwater',
      options: { store: 'redis' },
      path: '/hello',
      status: 200,
      compare: [{ vs: 'fastify-memory' }],
    },
  ],
};

/**
 * Bare vs Breakwater (closed, then open) for a framework without a peer or a target yet; with
 * `floor`, its floor row too (Hono: one middleware that sets the state header with `c.header()`
 * and awaits the handler; NestJS: one global interceptor that sets it and returns the handler's
 * stream).
 */
function reachGroup(server: 'hono' | 'nestjs', title: string, floor = false): Group {
  const floorRow: Row = {
    id: `${server}-floor`,
    label: `${server} floor (state header + the handler awaited)`,
    server: `${server}-floor`,
    path: '/hello',
    status: 200,
    compare: [{ vs: `${server}-bare` }],
  };
  return {
    title: `${title}: bare vs Breakwater`,
    rows: [
      {
        id: `${server}-bare`,
        label: `${server} bare`,
        server: `${server}-bare`,
        path: '/hello',
        status: 200,
      },
      ...(floor ? [floorRow] : []),
      {
        id: `${server}-breakwater`,
        label: `${server} + breakwater (closed)`,
        server: `${server}-breakwater`,
        path: '/hello',
        status: 200,
        compare: [...(floor ? [{ vs: `${server}-floor` }] : []), { vs: `${server}-bare` }],
      },
      {
        id: `${server}-breakwater-open`,
        label: `${server} + breakwater (open, 503)`,
        server: `${server}-breakwater`,
        options: { state: 'open' },
        path: '/hello',
        status: 503,
        compare: [{ vs: `${server}-bare` }],
      },
    ],
  };
}

/** Every group, in the order they run and appear in RESULTS.md. */
export const GROUPS: readonly Group[] = [
  ...FRAMEWORKS.map(closedGroup),
  ...FRAMEWORKS.map(openGroup),
  ...FRAMEWORKS.map(cachedGroup),
  keyedGroup,
  extrasGroup,
  reachGroup('hono', 'Hono 4 (@hono/node-server)', true),
  reachGroup('nestjs', 'NestJS 12 (platform-express)', true),
];
