// @breakwater/fastify: a circuit-breaker plugin for Fastify 5, thin glue over @breakwater/core.

import { fastifyCircuitBreaker } from './plugin.js';

export {
  fastifyCircuitBreaker,
  type FastifyCircuitBreakerOptions,
  type FastifyOnReject,
} from './plugin.js';
export default fastifyCircuitBreaker;
