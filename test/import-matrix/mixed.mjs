// One process, mixed module systems: the Express adapter through require(), Prometheus and core through import().
import { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';

const require = createRequire(import.meta.url);
const { circuitBreaker } = require('@breakwater/express');
circuitBreaker({ name: 'hazard' }); // a named breaker joins the default registry at construction

const { Registry } = await import('prom-client');
const { registerMetrics } = await import('@breakwater/prometheus');
const register = new Registry();
registerMetrics(register);
const esmCore = await import('@breakwater/core');
const cjsCore = require('@breakwater/core');
// A short-circuit marked by one build must be seen by the other (a nested guard of each kind). The
// response is watched, as an outer guard's would be: a hook of its own on `writeHead`.
const res = new ServerResponse(new IncomingMessage(new Socket()));
const nodeWriteHead = res.writeHead;
res.writeHead = function outerGuardHook(...args) {
  return nodeWriteHead.apply(this, args);
};
require('@breakwater/core/adapter').markShortCircuit(res);
const { isShortCircuit } = await import('@breakwater/core/adapter');
console.log(
  JSON.stringify({
    sameRegistry: esmCore.defaultRegistry === cjsCore.defaultRegistry,
    esmSees: esmCore.defaultRegistry.get('hazard') !== undefined,
    scraped: (await register.metrics()).includes('breaker="hazard"'),
    shortCircuitShared: isShortCircuit(res),
  }),
);
