// A minimal Koa app with @koa/router: one route that depends on a flaky "weather service", guarded by Breakwater.

import { circuitBreaker, type KoaCircuitBreakerOptions } from '@breakwater/koa';
import Router from '@koa/router';
import Koa from 'koa';

/** Builds the app; `options` override the breaker settings (tests pass a clock and a registry). */
export function createApp(options: KoaCircuitBreakerOptions = {}): Koa {
  const weatherService = { failing: false };
  const app = new Koa();
  const router = new Router();

  // Unguarded switch to make the dependency fail or heal: POST /weather-service/fail | /weather-service/heal
  router.post('/weather-service/:mode', (ctx) => {
    weatherService.failing = ctx.params.mode === 'fail';
    ctx.status = 204;
  });

  router.get(
    '/forecast/:city',
    circuitBreaker({ failureThreshold: 3, openDuration: 10_000, cache: true, ...options }),
    (ctx) => {
      if (weatherService.failing) {
        ctx.status = 502;
        ctx.body = { error: 'weather service unavailable' };
        return;
      }
      ctx.body = { city: ctx.params.city, forecast: 'sunny', updatedAt: new Date().toISOString() };
    },
  );
  app.use(router.routes());
  return app;
}
