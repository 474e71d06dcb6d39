// Runs the HTTP table: every group's rows interleaved round by round, then medians and ratios.

import { PINNED } from '../lib/processes.js';
import { rotated } from '../lib/rotated.js';
import { median, spread, type Spread } from '../lib/stats.js';
import type { Group, Ratios, Row } from './configs.js';
import { LoadGenerator, runOnce, type Sample, type Timing } from './runner.js';

/** A row's result over all rounds. */
export interface RowResult {
  readonly row: Row;
  readonly samples: readonly Sample[];
  readonly rps?: Spread;
  readonly cpu?: Spread;
  /** Set when the row could not run here; `error` marks a failure rather than a missing feature. */
  readonly skipped?: { readonly reason: string; readonly error: boolean };
  readonly warnings: readonly string[];
  readonly comparisons: readonly ComparisonResult[];
}

/** A row against another, from the rounds both completed. */
export interface ComparisonResult {
  readonly vs: string;
  readonly ratios?: Ratios;
  /** The per-round ratios' spread, whose medians are `ratios`. */
  readonly spread?: { readonly rps: Spread; readonly cpu: Spread };
  readonly target?: string;
  readonly holds?: boolean;
  /** In how many of the compared rounds the target held on that round's ratios alone. */
  readonly roundsHeld?: RoundsHeld;
}

/** A target judged round by round: it held in `held` of `of` rounds. */
export interface RoundsHeld {
  readonly held: number;
  readonly of: number;
}

/** A group's results. */
export interface GroupResult {
  readonly group: Group;
  readonly rows: readonly RowResult[];
}

const SERVER_CORE = 0;
const LOAD_CORE = 1;

/**
 * Runs `groups` (already filtered) and returns their results in order. `parallel` > 1 runs that many
 * groups at once: only for quick mode, whose figures mean nothing anyway.
 */
export async function runSuite(
  groups: readonly Group[],
  timing: Timing,
  rounds: number,
  parallel = 1,
): Promise<GroupResult[]> {
  const load = await LoadGenerator.start(PINNED ? LOAD_CORE : 0);
  const progress = { done: 0, total: groups.reduce((n, g) => n + g.rows.length, 0) * rounds };
  const results: GroupResult[] = new Array<GroupResult>(groups.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < groups.length) {
      const index = next++;
      results[index] = await runGroup(groups[index]!, load, timing, rounds, progress);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  } finally {
    await load.close();
  }
  return results;
}

async function runGroup(
  group: Group,
  load: LoadGenerator,
  timing: Timing,
  rounds: number,
  progress: { done: number; total: number },
): Promise<GroupResult> {
  const perRow = new Map<string, (Sample | undefined)[]>();
  const skipped = new Map<string, { reason: string; error: boolean }>();
  const warnings = new Map<string, string[]>();
  const errors = new Map<string, string>();
  for (const row of group.rows) {
    perRow.set(row.id, []);
    warnings.set(row.id, []);
  }
  for (let round = 0; round < rounds; round++) {
    for (const row of rotated(group.rows, round)) {
      if (skipped.has(row.id)) {
        progress.done++;
        perRow.get(row.id)!.push(undefined);
        continue;
      }
      const outcome = await runOnce(row, load, timing, SERVER_CORE);
      const tag = `[${++progress.done}/${progress.total}] ${row.id} round ${round + 1}`;
      if (outcome.kind === 'sample') {
        perRow.get(row.id)!.push(outcome.sample);
        for (const w of outcome.warnings) warnings.get(row.id)!.push(`round ${round + 1}: ${w}`);
        console.error(
          `${tag}: ${Math.round(outcome.sample.rps)} req/s, ` +
            `${outcome.sample.cpuMicrosPerRequest.toFixed(1)} µs CPU/req` +
            (outcome.warnings.length ? ` (${outcome.warnings.join('; ')})` : ''),
        );
      } else if (outcome.kind === 'skip') {
        perRow.get(row.id)!.push(undefined);
        skipped.set(row.id, { reason: outcome.reason, error: false });
        console.error(`${tag}: skipped: ${outcome.reason}`);
      } else {
        perRow.get(row.id)!.push(undefined);
        errors.set(row.id, outcome.reason);
        warnings.get(row.id)!.push(`round ${round + 1}: error: ${outcome.reason}`);
        console.error(`${tag}: error: ${outcome.reason}`);
      }
    }
  }
  for (const [id, reason] of errors) if (!skipped.has(id)) skipped.set(id, { reason, error: true });
  return { group, rows: summarize(group, perRow, skipped, warnings) };
}

function summarize(
  group: Group,
  perRow: Map<string, (Sample | undefined)[]>,
  skipped: Map<string, { reason: string; error: boolean }>,
  warnings: Map<string, string[]>,
): RowResult[] {
  return group.rows.map((row) => {
    const all = perRow.get(row.id)!;
    const samples = all.filter((s): s is Sample => s !== undefined);
    const comparisons = (row.compare ?? []).map((c): ComparisonResult => {
      const other = perRow.get(c.vs) ?? [];
      const rps: number[] = [];
      const cpu: number[] = [];
      all.forEach((mine, round) => {
        const theirs = other[round];
        if (mine === undefined || theirs === undefined) return;
        rps.push(mine.rps / theirs.rps);
        cpu.push(mine.cpuMicrosPerRequest / theirs.cpuMicrosPerRequest);
      });
      if (rps.length === 0) return { vs: c.vs, ...(c.target ? { target: c.target.text } : {}) };
      const ratios = { rps: median(rps), cpu: median(cpu) };
      const target = c.target;
      return {
        vs: c.vs,
        ratios,
        spread: { rps: spread(rps), cpu: spread(cpu) },
        ...(target
          ? {
              target: target.text,
              holds: target.holds(ratios),
              roundsHeld: {
                held: rps.filter((r, i) => target.holds({ rps: r, cpu: cpu[i]! })).length,
                of: rps.length,
              },
            }
          : {}),
      };
    });
    const skip = skipped.get(row.id);
    return {
      row,
      samples,
      ...(samples.length > 0
        ? {
            rps: spread(samples.map((s) => s.rps)),
            cpu: spread(samples.map((s) => s.cpuMicrosPerRequest)),
          }
        : {}),
      ...(skip ? { skipped: skip } : {}),
      warnings: warnings.get(row.id)!,
      comparisons,
    };
  });
}
