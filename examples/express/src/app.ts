// A minimal Express app: one route that depends on a flaky "weather service", guarded by Breakwater.

import { circuitBreaker, type ExpressCircuitBreakerOptions } from '@breakwater/express';
import express, { type Express } from 'express';

/** Builds the app; `options` override the breaker settings (tests pass a clock and a registry). */
export function createApp(options: ExpressCircuitBreakerOptions = {}): Express {
  const weatherService = { failing: false };
  const app = express();

  // Unguarded switch to make the dependency fail or heal: POST /weather-service/fail | /weather-service/heal
  app.post('/weather-service/:mode', (req, res) => {
    weatherService.failing = req.params.mode === 'fail';
    res.sendStatus(204);
  });

  app.get(
    '/forecast/:city',
    circuitBreaker({ failureThreshold: 3, openDuration: 10_000, cache: true, ...options }),
    (req, res) => {
      if (weatherService.failing) {
        res.status(502).json({ error: 'weather service unavailable' });
        return;
      }
      res.json({ city: req.params.city, forecast: 'sunny', updatedAt: new Date().toISOString() });
    },
  );
  return app;
}
