// The demo API on Fastify: the @breakwater/fastify plugin guards the route.

import breakwater from '@breakwater/fastify';
import Fastify from 'fastify';
import { breakerOptions, type ApiConfig, type RunningApi } from './api-config.js';
import { loadProfile } from './load-profile.js';

/** Starts the Fastify version of the API on 127.0.0.1. */
export async function startFastifyApi(config: ApiConfig): Promise<RunningApi> {
  const app = Fastify();
  await app.register(breakwater, breakerOptions(config));
  app.get<{ Params: { id: string } }>('/profiles/:id', async (request, reply) => {
    const answer = await loadProfile(config.upstream, request.params.id, config.upstreamTimeout);
    return reply.status(answer.status).send(answer.body);
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}
