// Renders a bench run as Markdown: machine, core micro-benchmarks, HTTP groups, targets.

import type { GroupResult, RoundsHeld } from '../http/suite.js';
import type { MicroResult } from '../micro/core.js';
import type { BenchArgs } from './args.js';
import type { Machine } from './machine.js';
import { median, type Spread } from './stats.js';

/** Everything one run produced. */
export interface BenchReport {
  readonly machine: Machine;
  readonly args: BenchArgs;
  readonly pinned: boolean;
  readonly micro: readonly MicroResult[] | undefined;
  readonly http: readonly GroupResult[] | undefined;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const range = (s: Spread, f: (n: number) => string): string =>
  `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
const signed = (n: number, digits: number): string =>
  Number.isFinite(n) ? `${n < 0 ? '−' : '+'}${Math.abs(n).toFixed(digits)}` : 'n/a';
const ratio = (n: number): string => `×${n.toFixed(3)}`;
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
/** A verdict; on a median of per-round ratios, with how many rounds held on their own. */
const verdict = (holds: boolean | undefined, rounds?: RoundsHeld): string =>
  holds === undefined
    ? ''
    : `${holds ? 'holds' : '**missed**'}${rounds ? ` (${rounds.held} of ${rounds.of} rounds)` : ''}`;
/** A median ratio with the per-round ratios' range: `×1.012 (×0.981–×1.044)`. */
const ratioRange = (median: number, s: Spread | undefined): string =>
  s === undefined ? ratio(median) : `${ratio(median)} (${ratio(s.min)}–${ratio(s.max)})`;

/** One line of the targets summary. */
interface TargetLine {
  readonly what: string;
  readonly target: string;
  readonly measured: string;
  readonly holds: boolean | undefined;
  /** For a per-round comparison: in how many rounds it held on its own. */
  readonly rounds?: RoundsHeld;
}

function microSection(micro: readonly MicroResult[], targets: TargetLine[]): string[] {
  const lines = [
    '## Core micro-benchmarks',
    '',
    'Time per call from mitata (p50 of its samples, and the mean); bytes per call = heap growth over',
    'N calls between full GCs with a young generation too large to be scavenged mid-run, median of',
    "seven rounds. Async cases include the awaiting loop's own promise work; their baseline is the",
    'bare `async` call measured in the same run. Synchronous cases keep the permit in a module',
    'variable, as an adapter keeps it on the request, so it cannot be optimized away. The last',
    'rows build a real (unconnected) `IncomingMessage` + `ServerResponse` per call and drive it as',
    "Node's server and Fastify do: `req.headers` read, `writeHead(status, headers)`, `end(body)`,",
    'then `finish` and `close` (the bare row). The node floor sets the state header and adds one',
    '`close` listener (the least that keeps the contract in-band; with a headers object, `setHeader`',
    'before `writeHead` puts Node on its slower merging path). The contract row has no breaker: the',
    "app's own headers object carries the state header, so it costs what the header itself costs",
    'Node (one more line validated and written). The admitted row adds what an adapter adds per',
    'request: one `RequestGuard.enter()` (breaker, permit, the `writeHead` hook and one `close`',
    'listener), the state header stamped (into a copy of the headers object) and the permit settled',
    "at the head, the `close` of an ended response. Its target (the breaker's own admit + attach",
    'work) is held over the contract row, which sends the same bytes; the figure over bare is given',
    "too. The 'when-not-closed' row sends no header on a closed head, so bare is its baseline. The",
    'open row is the same call refused: the built-in 503 written through the binding, against the',
    'same 503 written bare. These rows run interleaved, seven rounds, each keeping the median of its',
    'rounds: they differ by a few hundred ns, about what the machine drifts in a second.',
    'In `--quick` mode times are unwarmed means over 5,000 calls: meaningless, only a smoke test.',
    '',
    '| case | ns/call p50 | ns/call mean | over its baseline | bytes/call | target | holds |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const m of micro) {
    let over = '';
    const base = micro.find((b) => b.name === m.baseline);
    const added =
      base && base !== m ? { ns: m.p50 - base.p50, bytes: m.bytes - base.bytes } : undefined;
    if (added) over = `${signed(added.ns, 0)} ns, ${signed(added.bytes, 0)} B`;
    // A baseline that has its own baseline (the contract row over bare): the figure over that too.
    const root = base && micro.find((b) => b.name === base.baseline);
    if (added && root && root !== base) {
      over += ` (${signed(m.p50 - root.p50, 0)} ns, ${signed(m.bytes - root.bytes, 0)} B over ${root.name.split(':')[0]})`;
    }
    let target = '';
    let holds: boolean | undefined;
    if (m.target) {
      // A target over the baseline is held by what the case adds to it (e.g. per admitted request).
      const overBase = m.target.overBaseline === true;
      const judged = overBase
        ? (added ?? { ns: Number.NaN, bytes: Number.NaN })
        : { ns: m.p50, bytes: m.bytes };
      const sign = overBase ? '+' : '';
      const parts = [`≤ ${sign}${m.target.ns} ns`];
      holds = judged.ns <= m.target.ns;
      if (m.target.bytes !== undefined) {
        parts.push(`≤ ${sign}${m.target.bytes} B`);
        // Under 8 bytes/call is the measurement's own noise (process.memoryUsage, loop).
        holds = holds && judged.bytes < m.target.bytes + 8;
      }
      target = parts.join(', ') + (overBase ? ' over baseline' : '');
      targets.push({
        what: `core: ${m.name}`,
        target,
        measured: overBase
          ? `${signed(judged.ns, 1)} ns, ${signed(judged.bytes, 0)} B`
          : `${fixed(judged.ns, 1)} ns, ${fixed(judged.bytes, 0)} B`,
        holds,
      });
    }
    lines.push(
      `| ${m.name} | ${fixed(m.p50, 1)} | ${fixed(m.avg, 1)} | ${over} | ${fixed(m.bytes, 0)} | ${target} | ${verdict(holds)} |`,
    );
  }
  return lines;
}

function httpSection(groups: readonly GroupResult[], targets: TargetLine[]): string[] {
  const lines = [
    '## HTTP',
    '',
    'Each configuration runs on a fresh server process; the rows of a group run interleaved,',
    'each round starting one row later (A B C, B C A, C A B, …). req/s is what autocannon',
    "completed; CPU/req is the server process's user + system CPU time over the measured run",
    'divided by the requests it received. Figures are the',
    'median (min–max) over rounds; ratios are the median of the per-round ratios to the row named',
    '(below 1 is less CPU per request, above 1 more req/s).',
  ];
  const floor = floorSection(groups);
  if (floor.length > 0) lines.push('', ...floor);
  const labelOf = new Map<string, string>();
  for (const g of groups) for (const r of g.rows) labelOf.set(r.row.id, r.row.label);
  for (const g of groups) {
    lines.push(
      '',
      `### ${g.group.title}`,
      '',
      '| configuration | req/s | server CPU µs/req | vs | req/s ratio | CPU/req ratio | target | holds |',
      '| --- | ---: | ---: | --- | ---: | ---: | --- | --- |',
    );
    const notes: string[] = [];
    for (const r of g.rows) {
      if (r.skipped && r.samples.length === 0) {
        lines.push(`| ${r.row.label} | ${r.skipped.error ? 'error' : 'skipped'} | | | | | | |`);
        notes.push(`${r.row.label}: ${r.skipped.error ? 'error' : 'skipped'}: ${r.skipped.reason}`);
        for (const c of r.comparisons)
          if (c.target)
            targets.push({
              what: `${r.row.label} vs ${labelOf.get(c.vs) ?? c.vs}`,
              target: c.target,
              measured: 'not run',
              holds: undefined,
            });
        continue;
      }
      const figures = `${range(r.rps!, int)} | ${range(r.cpu!, (n) => fixed(n, 1))}`;
      const comparisons = r.comparisons.length > 0 ? r.comparisons : [undefined];
      comparisons.forEach((c, i) => {
        const head = i === 0 ? `| ${r.row.label} | ${figures}` : '| ↳ | |';
        if (c === undefined) {
          lines.push(`${head} | | | | | |`);
          return;
        }
        const vs = labelOf.get(c.vs) ?? c.vs;
        const rps = c.ratios ? ratioRange(c.ratios.rps, c.spread?.rps) : 'n/a';
        const cpu = c.ratios ? ratioRange(c.ratios.cpu, c.spread?.cpu) : 'n/a';
        const judged = verdict(c.holds, c.roundsHeld);
        lines.push(`${head} | ${vs} | ${rps} | ${cpu} | ${c.target ?? ''} | ${judged} |`);
        if (c.target)
          targets.push({
            what: `${r.row.label} vs ${vs}`,
            target: c.target,
            measured: c.ratios
              ? `req/s ${ratio(c.ratios.rps)}, CPU/req ${ratio(c.ratios.cpu)}`
              : 'not run',
            holds: c.holds,
            ...(c.roundsHeld ? { rounds: c.roundsHeld } : {}),
          });
      });
      if (r.row.heap) {
        const growth = median(r.samples.map((s) => s.server.heapNow - s.server.heapReady));
        const after = median(r.samples.map((s) => s.server.heapNow));
        const breakers = Math.max(...r.samples.map((s) => s.server.keyedBreakers));
        const holds = growth < r.row.heap.maxGrowthBytes && breakers <= r.row.heap.maxBreakers;
        notes.push(
          `${r.row.label}: heap after the run ${mb(after)} (after GC), growth since the server was ` +
            `ready ${mb(growth)} (median); keyed breakers held at the end: ${int(breakers)} (most over rounds).`,
        );
        targets.push({
          what: `${r.row.label}: heap growth and breakers`,
          target: `< ${mb(r.row.heap.maxGrowthBytes)}, ≤ ${int(r.row.heap.maxBreakers)} breakers`,
          measured: `${mb(growth)}, ${int(breakers)} breakers`,
          holds,
        });
      }
      for (const w of r.warnings) notes.push(`${r.row.label}: ${w}`);
    }
    if (notes.length > 0) lines.push('', ...notes.map((n) => `- ${n}`));
  }
  return lines;
}

/** The ratios of row `id` to row `vs` in `g`, as "CPU ×a, req/s ×b", or '' when not measured. */
function ratioCell(g: GroupResult, id: string, vs: string): string {
  const ratios = g.rows.find((r) => r.row.id === id)?.comparisons.find((c) => c.vs === vs)?.ratios;
  return ratios ? `CPU ${ratio(ratios.cpu)}, req/s ${ratio(ratios.rps)}` : '';
}

/**
 * One line per framework whose closed-path group has a floor row: what the floor costs over bare,
 * and what Breakwater and the peer cost over the floor and over bare (ratios from the same rounds).
 */
function floorSection(groups: readonly GroupResult[]): string[] {
  const lines = [
    '### Closed path against the floor',
    '',
    'The floor is the bare app plus one no-op middleware/hook that sets the same',
    "`X-Circuit-Breaker-State: closed` header and observes completion (Express: `res.once('finish')`;",
    'Koa: after `await next()`; Fastify: `onRequest` + `onResponse`): the least any in-band breaker',
    'keeping the contract can cost. Ratios are medians of per-round ratios (CPU/req below 1 is',
    'cheaper; req/s above 1 is faster).',
    '',
    '| group | floor vs bare | breakwater vs floor | breakwater vs bare | peer | peer vs floor | peer vs bare |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  let any = false;
  for (const g of groups) {
    const floor = g.rows.find((r) => r.row.id.endsWith('-floor'))?.row;
    if (floor === undefined) continue;
    const fw = floor.id.slice(0, -'-floor'.length);
    const bare = `${fw}-bare`;
    const breakwater = `${fw}-breakwater`;
    // the peer: neither bare nor the floor nor one of Breakwater's rows (e.g. the lean one)
    const peer = g.rows.find(
      (r) => ![bare, floor.id].includes(r.row.id) && !r.row.id.startsWith(breakwater),
    )?.row;
    any = true;
    lines.push(
      `| ${g.group.title} | ${ratioCell(g, floor.id, bare)} | ${ratioCell(g, breakwater, floor.id)} | ` +
        `${ratioCell(g, breakwater, bare)} | ${peer?.label ?? ''} | ` +
        `${peer ? ratioCell(g, peer.id, floor.id) : ''} | ${peer ? ratioCell(g, peer.id, bare) : ''} |`,
    );
  }
  return any ? lines : [];
}

/** The whole Markdown document. */
export function renderReport(report: BenchReport): string {
  const { machine: m, args } = report;
  const targets: TargetLine[] = [];
  const lines = [
    '# Breakwater benchmark results',
    '',
    `Generated by \`pnpm bench${args.quick ? ' --quick' : ''}\` on ${m.date}.`,
    '',
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}`,
    `- Node ${m.node}`,
    `- HTTP: ${args.rounds} interleaved round(s) per configuration, ` +
      (args.quick
        ? 'no warm-up, 2,000 requests per run, six groups at once'
        : `${args.warmupSeconds} s warm-up + ${args.seconds} s measured per run`) +
      `, ${args.connections} connections, 127.0.0.1; ` +
      (report.pinned
        ? 'server pinned to core 0 and load generator to core 1 (taskset).'
        : 'no taskset here: processes not pinned.'),
    '- Noise: other work shared this machine during the run; differences of a few percent are',
    '  within the noise. Judge by the ratios (measured side by side), not the absolute figures.',
    "  Each ratio comes with the range of its rounds' ratios, and each verdict with the number of",
    '  rounds that held on their own: a target inside that range is closer than this run can tell.',
    '',
  ];
  if (report.micro) lines.push(...microSection(report.micro, targets), '');
  if (report.http) lines.push(...httpSection(report.http, targets), '');
  if (targets.length > 0) {
    lines.push(
      '## Targets',
      '',
      '| what | target | measured | holds |',
      '| --- | --- | --- | --- |',
    );
    for (const t of targets)
      lines.push(
        `| ${t.what} | ${t.target} | ${t.measured} | ${t.holds === undefined ? 'not run' : verdict(t.holds, t.rounds)} |`,
      );
    lines.push('');
  }
  return lines.join('\n');
}
