// Collects the PromQL of the Grafana dashboard, the alerting rules and the Prometheus README, with the labels each should return.

import { readFileSync } from 'node:fs';

/** One expression to run, where it comes from and what its result should look like. */
export interface PromqlExpression {
  /** Where it comes from, e.g. `dashboard: Reject share (A)`. */
  readonly source: string;
  /** The expression with Grafana's variables replaced. */
  readonly expr: string;
  /** The label names every series of the result carries, no more, no less. */
  readonly labels: readonly string[];
}

/** Grafana's variables, as the test's Prometheus can evaluate them. */
export interface Substitutions {
  readonly job: string;
  readonly rateInterval: string;
}

function substitute(expr: string, s: Substitutions): string {
  return expr
    .replaceAll('$__rate_interval', s.rateInterval)
    .replaceAll('$__range', s.rateInterval)
    .replaceAll('$job', s.job)
    .trim();
}

/**
 * The labels an expression's result carries: those of the aggregations at its top level (`sum by
 * (breaker) (...) / sum by (breaker) (...)` → `breaker`); for `histogram_quantile`, those of its
 * inner aggregation without `le`; none when no aggregation is at the top level (`count(...)`).
 */
export function expectedLabels(expr: string): string[] {
  let e = expr.trim();
  let dropLe = false;
  const quantile = /^histogram_quantile\(\s*[\d.]+\s*,([\s\S]*)\)$/.exec(e);
  if (quantile !== null) {
    e = quantile[1]!;
    dropLe = true;
  }
  const labels = new Set<string>();
  let depth = 0;
  for (let i = 0; i < e.length; i++) {
    const c = e[i];
    if (depth === 0 && /^by\s*\(/.test(e.slice(i, i + 5)) && !/\w/.test(e[i - 1] ?? ' ')) {
      const open = e.indexOf('(', i);
      const close = e.indexOf(')', open);
      for (const label of e.slice(open + 1, close).split(',')) labels.add(label.trim());
      i = close;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
  }
  if (dropLe) labels.delete('le');
  labels.delete('');
  return [...labels].sort();
}

interface DashboardPanel {
  title: string;
  targets?: { refId: string; expr: string; legendFormat?: string }[];
  panels?: DashboardPanel[];
}

/** Every target of a Grafana dashboard JSON file, plus the labels its legend names. */
export function dashboardExpressions(
  path: string,
  s: Substitutions,
): (PromqlExpression & { legendLabels: string[] })[] {
  const dashboard = JSON.parse(readFileSync(path, 'utf8')) as { panels: DashboardPanel[] };
  const out: (PromqlExpression & { legendLabels: string[] })[] = [];
  const visit = (panels: DashboardPanel[]): void => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        const expr = substitute(target.expr, s);
        out.push({
          source: `dashboard: ${panel.title} (${target.refId})`,
          expr,
          labels: expectedLabels(expr),
          legendLabels: [...(target.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map(
            (m) => m[1]!,
          ),
        });
      }
      visit(panel.panels ?? []);
    }
  };
  visit(dashboard.panels);
  return out;
}

/** Every `expr: |` block of a Prometheus rules file, with its alert's name. */
export function ruleExpressions(path: string, s: Substitutions): PromqlExpression[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const out: PromqlExpression[] = [];
  let alert = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const name = /^\s*- (?:alert|record): (\S+)/.exec(line);
    if (name !== null) alert = name[1]!;
    const start = /^(\s*)expr: \|\s*$/.exec(line);
    if (start === null) continue;
    const indent = start[1]!.length;
    const body: string[] = [];
    while (
      i + 1 < lines.length &&
      (lines[i + 1]!.trim() === '' || /^\s*/.exec(lines[i + 1]!)![0].length > indent)
    ) {
      body.push(lines[++i]!);
    }
    const expr = substitute(body.join('\n'), s);
    out.push({ source: `rules: ${alert}`, expr, labels: expectedLabels(expr) });
  }
  return out;
}

/** Every ```promql block of a Markdown file. */
export function markdownExpressions(path: string, s: Substitutions): PromqlExpression[] {
  return [...readFileSync(path, 'utf8').matchAll(/```promql\n([\s\S]*?)```/g)].map((match, i) => {
    const expr = substitute(match[1]!, s);
    return { source: `README query ${i + 1}`, expr, labels: expectedLabels(expr) };
  });
}
