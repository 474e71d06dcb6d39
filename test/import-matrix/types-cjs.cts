// Type-level import check from a CommonJS module.
import core = require('@breakwater/core');
import http = require('@breakwater/core/adapter');

const options: core.BreakerOptions = { failureThreshold: 2 };
const breaker: core.CircuitBreaker = new core.CircuitBreaker({ ...options, registry: false });
const respond: typeof http.rejectionResponse = http.rejectionResponse;
module.exports = { breaker, respond };
