// Polling for a condition the code under test makes true in the background, with a generous bound.

/** Resolves after `ms` milliseconds. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `condition` every 5 ms until it holds; throws after `ms` naming `what` (a generous bound
 * for work done in the background, not a timing assertion).
 */
export async function waitFor(
  condition: () => boolean,
  ms = 2000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await pause(5);
  }
}
