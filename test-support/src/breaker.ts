// Driving a breaker from a test without a request: one failed call.

/** The slice of a `CircuitBreaker` that {@link recordFailure} drives (structural: no dependency on core). */
export interface AcquiringBreaker {
  tryAcquire(): { readonly admitted: true; failure(): void } | { readonly admitted: false };
}

/** Records one failed call through `breaker` (trips a breaker with `failureThreshold: 1`). */
export function recordFailure(breaker: AcquiringBreaker): void {
  const permit = breaker.tryAcquire();
  if (permit.admitted) permit.failure();
}
