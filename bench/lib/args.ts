// Command-line options of `pnpm bench`.

/** What a bench run does. */
export interface BenchArgs {
  readonly quick: boolean;
  readonly rounds: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  /** Only rows whose id or group title contains one of these. */
  readonly only: readonly string[];
  readonly micro: boolean;
  readonly http: boolean;
  /** Where the Markdown goes; `undefined` prints it only. */
  readonly out: string | undefined;
}

const HELP = `Usage: pnpm bench [options]
  --quick            one short round of everything, nothing written (CI)
  --rounds N         interleaved rounds per configuration (default 5)
  --seconds S        measured seconds per run (default 3)
  --warmup S         warm-up seconds per run (default 1)
  --connections N    autocannon connections (default 50)
  --only TEXT        only rows whose id or group contains TEXT (repeatable)
  --no-micro         skip the core micro-benchmarks
  --no-http          skip the HTTP benchmarks
  --out FILE         write the Markdown there (default bench/RESULTS.md for a full, unfiltered run)`;

/** Parses `argv` (without node and the script). */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const quick = argv.includes('--quick');
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const number = (name: string, fallback: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!(n > 0)) throw new TypeError(`${name} must be a positive number, received ${raw}`);
    return n;
  };
  if (argv.includes('--help')) {
    console.log(HELP);
    process.exit(0);
  }
  const only: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--only' && argv[i + 1] !== undefined) only.push(argv[i + 1]!);
  });
  const filtered = only.length > 0 || argv.includes('--no-micro') || argv.includes('--no-http');
  return {
    quick,
    rounds: number('--rounds', quick ? 1 : 5),
    seconds: number('--seconds', quick ? 0.5 : 3),
    warmupSeconds: number('--warmup', quick ? 0.2 : 1),
    connections: number('--connections', quick ? 10 : 50),
    only,
    micro: !argv.includes('--no-micro'),
    http: !argv.includes('--no-http'),
    out: value('--out') ?? (quick || filtered ? undefined : 'RESULTS.md'),
  };
}
