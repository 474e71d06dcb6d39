// Starts the monitoring example on 127.0.0.1:3000 (PORT overrides); with REDIS_URL, `orders` shares its state through Redis.

import type { BreakerStore } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { Redis } from 'ioredis';
import { createMonitoringApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
const redis = process.env.REDIS_URL === undefined ? undefined : new Redis(process.env.REDIS_URL);
const store: BreakerStore | undefined =
  redis === undefined ? undefined : new RedisStore({ client: redis });
const { app } = createMonitoringApp(store === undefined ? {} : { store });

app.listen(port, '127.0.0.1', () => {
  const base = `http://127.0.0.1:${port}`;
  console.log(`Monitoring example on ${base}: ${base}/metrics, ${base}/health, ${base}/ready`);
  console.log(`Trip the orders breaker: curl -X POST ${base}/dependencies/orders/fail`);
  console.log('Scrape it: prometheus --config.file=examples/monitoring/prometheus.yml');
});
