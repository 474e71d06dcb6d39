// Drives a guarded server's breaker into the state a row measures: open, or open with a cached response.

let failing = false;

/** Whether the guarded handler should answer 500 right now (set while tripping the breaker). */
export function isFailing(): boolean {
  return failing;
}

/** The last response's status and headers, for the checks below. */
async function get(url: string): Promise<{ status: number; headers: Headers }> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return { status: response.status, headers: response.headers };
}

/**
 * Makes the handler fail until the breaker answers 503 (open), then lets it succeed again.
 * With `cached`, first stores one good response and then expects it back from the cache.
 * @returns an explanation when the server cannot reach that state (e.g. no cache support)
 */
export async function driveState(
  url: string,
  state: 'closed' | 'open' | 'cached',
): Promise<string | undefined> {
  if (state === 'closed') return undefined;
  if (state === 'cached') {
    const first = await get(url);
    if (first.status !== 200) return `GET ${url} answered ${first.status} before tripping`;
  }
  failing = true;
  let opened = false;
  try {
    for (let i = 0; i < 200 && !opened; i++) {
      const { headers } = await get(url);
      opened = headers.get('x-circuit-breaker-state') === 'open';
    }
  } finally {
    failing = false;
  }
  if (!opened) return 'the breaker did not open after 200 failing requests';
  const check = await get(url);
  if (state === 'open' && check.status !== 503) return `open breaker answered ${check.status}`;
  if (state === 'cached' && (check.status !== 200 || !check.headers.get('cache-status'))) {
    return `open breaker answered ${check.status} without Cache-Status: the adapter does not serve the cache (yet)`;
  }
  return undefined;
}
