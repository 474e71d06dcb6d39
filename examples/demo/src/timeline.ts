// The demo's script: which phase the profile service is in at each moment, scaled for fast mode.

/** How the upstream profile service behaves during a phase. */
export type Health = 'healthy' | 'slow' | 'failing';

/** One phase of the story. */
export interface Phase {
  readonly name: string;
  readonly health: Health;
  /** Length in ms at scale 1. */
  readonly duration: number;
  readonly caption: string;
}

/** The story the demo tells, in order. */
export const PHASES: readonly Phase[] = [
  {
    name: 'healthy',
    health: 'healthy',
    duration: 4000,
    caption: 'the profile service answers in ~10 ms',
  },
  {
    name: 'slow',
    health: 'slow',
    duration: 3000,
    caption: 'the profile service takes 1.5 s; the API gives up after 300 ms',
  },
  {
    name: 'failing',
    health: 'failing',
    duration: 5000,
    caption: 'the profile service answers 500',
  },
  {
    name: 'recovering',
    health: 'healthy',
    duration: 6000,
    caption: 'the profile service is healthy again',
  },
];

/** The phase in force `elapsed` ms into the story at `scale`, or `undefined` once it is over. */
export function phaseAt(elapsed: number, scale: number): Phase | undefined {
  let end = 0;
  for (const phase of PHASES) {
    end += phase.duration * scale;
    if (elapsed < end) return phase;
  }
  return undefined;
}

/** Total length of the story at `scale`, in ms. */
export function storyLength(scale: number): number {
  return PHASES.reduce((sum, phase) => sum + phase.duration * scale, 0);
}
