// A minimal Fastify app: the Breakwater plugin guards every route; one depends on a flaky "weather service".

import breakwater, { type FastifyCircuitBreakerOptions } from '@breakwater/fastify';
import Fastify, { type FastifyInstance } from 'fastify';

/** Builds the app; `options` override the breaker settings (tests pass a clock and a registry). */
export async function createApp(
  options: FastifyCircuitBreakerOptions = {},
): Promise<FastifyInstance> {
  const weatherService = { failing: false };
  const app = Fastify();
  await app.register(breakwater, {
    failureThreshold: 3,
    openDuration: 10_000,
    cache: true,
    ...options,
  });

  // Unguarded switch to make the dependency fail or heal: POST /weather-service/fail | /weather-service/heal
  app.post<{ Params: { mode: string } }>(
    '/weather-service/:mode',
    { config: { circuitBreaker: false } },
    async (request, reply) => {
      weatherService.failing = request.params.mode === 'fail';
      return reply.status(204).send();
    },
  );

  app.get<{ Params: { city: string } }>('/forecast/:city', async (request, reply) => {
    if (weatherService.failing)
      return reply.status(502).send({ error: 'weather service unavailable' });
    return { city: request.params.city, forecast: 'sunny', updatedAt: new Date().toISOString() };
  });
  return app;
}
