// Driving a breaker from a test without a request: a permit that must be granted, one failed call.

/** The slice of a `CircuitBreaker` that {@link recordFailure} drives (structural: no dependency on core). */
export interface AcquiringBreaker {
  tryAcquire(): { readonly admitted: true; failure(): void } | { readonly admitted: false };
}

/** Records one failed call through `breaker` (trips a breaker with `failureThreshold: 1`). */
export function recordFailure(breaker: AcquiringBreaker): void {
  const permit = breaker.tryAcquire();
  if (permit.admitted) permit.failure();
}

/**
 * The permit `breaker` grants now; throws, naming the state, when it refuses. Generic so that
 * a `CircuitBreaker`'s caller gets its `Permit` type back.
 */
export function admit<R extends { readonly admitted: boolean; readonly state?: string }>(breaker: {
  tryAcquire(): R;
}): Extract<R, { readonly admitted: true }> {
  const result = breaker.tryAcquire();
  if (!result.admitted) throw new Error(`expected a permit, breaker is ${result.state}`);
  return result as Extract<R, { readonly admitted: true }>;
}
