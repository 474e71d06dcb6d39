// The helpers the Breakwater suites share (a private workspace package: never published).

export { adminScenario, type AdminRegistry } from './admin-scenario.js';
export { admit, recordFailure, type AcquiringBreaker } from './breaker.js';
export { pause, waitFor } from './poll.js';
export { clusterToolsPresent, PrivateCluster, type ClusterNode } from './private-cluster.js';
export { freePort } from './free-port.js';
export { PrivateRedis } from './private-redis.js';
export {
  hasPrometheus,
  startPrometheus,
  type InstantSample,
  type PrometheusServer,
} from './prometheus-server.js';
export {
  connect,
  recordingLogger,
  redisEnabled,
  redisUrl,
  uniquePrefix,
  type RecordingLogger,
} from './redis.js';
export { serveForTest } from './serve.js';
export { alternatingTraffic, expectEveryRequestAnswered, type Traffic } from './traffic.js';
