// Type-level import check from an ES module.
import { CircuitBreaker, type BreakerOptions } from '@breakwater/core';
import { rejectionResponse } from '@breakwater/core/adapter';

const options: BreakerOptions = { failureThreshold: 2 };
export const breaker: CircuitBreaker = new CircuitBreaker({ ...options, registry: false });
export const respond: typeof rejectionResponse = rejectionResponse;
