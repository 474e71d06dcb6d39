// The API's one piece of business logic, shared by the three framework versions: fetch a profile upstream.

/** What the API answers for a profile request. */
export interface ProfileAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Fetches profile `id` from `upstream`, giving up after `timeoutMs` (504) and mapping upstream errors to 502. */
export async function loadProfile(
  upstream: string,
  id: string,
  timeoutMs: number,
): Promise<ProfileAnswer> {
  try {
    const response = await fetch(`${upstream}/profiles/${encodeURIComponent(id)}`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok)
      return { status: 502, body: { error: `profile service answered ${response.status}` } };
    return { status: 200, body: await response.json() };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return timedOut
      ? { status: 504, body: { error: 'profile service timed out' } }
      : { status: 502, body: { error: 'profile service unreachable' } };
  }
}
