// A minimal Hono app: one route that depends on a flaky "weather service", guarded by Breakwater.

import { circuitBreaker, healthHandler, type HonoCircuitBreakerOptions } from '@breakwater/hono';
import { Hono } from 'hono';

/** Builds the app; `options` override the breaker settings (tests pass a clock and a registry). */
export function createApp(options: HonoCircuitBreakerOptions = {}): Hono {
  const weatherService = { failing: false };
  const app = new Hono();

  // Unguarded switch to make the dependency fail or heal: POST /weather-service/fail | /weather-service/heal
  app.post('/weather-service/:mode', (c) => {
    weatherService.failing = c.req.param('mode') === 'fail';
    return c.body(null, 204);
  });

  app.get(
    '/forecast/:city',
    circuitBreaker({ failureThreshold: 3, openDuration: 10_000, cache: true, ...options }),
    (c) => {
      if (weatherService.failing) return c.json({ error: 'weather service unavailable' }, 502);
      const city = c.req.param('city');
      return c.json({ city, forecast: 'sunny', updatedAt: new Date().toISOString() });
    },
  );

  app.get('/health', healthHandler(options.registry ? { registry: options.registry } : {}));
  return app;
}
