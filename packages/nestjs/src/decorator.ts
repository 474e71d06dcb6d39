// The @CircuitBreaker() decorator: per-controller and per-handler options (or `false`), checked when applied.

import { parseGuardOptions } from '@breakwater/core/adapter';
import { SetMetadata, type CustomDecorator } from '@nestjs/common';
import type { NestCircuitBreakerOptions } from './options.js';

/** The metadata key under which {@link CircuitBreaker} stores its options. */
export const CIRCUIT_BREAKER_METADATA = 'breakwater:circuit-breaker';

/**
 * Guards a controller's routes or one handler with these options, merged over
 * `BreakwaterModule.forRoot()`'s (a handler's over its controller's); `false` leaves it unguarded.
 * Each route gets its own breaker named by method and path (`GET /users/:id`) unless `name` is set.
 * Bad options throw a `TypeError` when the class is defined.
 *
 * @example
 * \@CircuitBreaker({ failureThreshold: 3 })
 * \@Get(':id')
 * findOne(@Param('id') id: string) { ... }
 */
export function CircuitBreaker(
  options: NestCircuitBreakerOptions | false = {},
): CustomDecorator<string> {
  if (options !== false) parseGuardOptions(options, '@CircuitBreaker() options');
  return SetMetadata(CIRCUIT_BREAKER_METADATA, options);
}
