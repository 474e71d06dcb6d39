// A Fastify plugin for the admin API (list and operate breakers), over core's endpoint.
import { adminEndpoint, type AdminEndpoint, type AdminOptions } from '@breakwater/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Options of {@link adminHandler}: `authorize` receives Fastify's `request`. */
export type FastifyAdminOptions = AdminOptions<FastifyRequest>;

/** A Fastify plugin serving the admin API under the prefix it is registered with. */
export type AdminPlugin = (instance: FastifyInstance) => Promise<void>;

/** The most body text the plugin's own parser takes; core answers `413` above its `maxBodyBytes`. */
const PARSER_LIMIT = 1_048_576;

/**
 * The admin API as an encapsulated plugin: register it with a `prefix`. `GET <prefix>` lists
 * breakers (the health JSON), `POST <prefix>/breakers/<name>/<action>` operates one (action
 * `force-open`, `reset`, `disable`, `shadow`, `enforce`, or `configure` with a JSON body of
 * options). Inside the plugin, bodies of any type are read as text so that core answers bad JSON,
 * an empty body and a wrong media type with its own problem documents; its routes are never
 * guarded by a breaker. `authorize(request)` is required; it may return a string naming who asks.
 *
 * @example
 * await app.register(adminHandler({ authorize: (request) => request.headers['x-admin'] === token && 'ops' }), {
 *   prefix: '/admin/breakwater',
 * });
 */
export function adminHandler(options: FastifyAdminOptions): AdminPlugin {
  const endpoint: AdminEndpoint<FastifyRequest> = adminEndpoint(options);
  const handler = async function breakwaterAdmin(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    reply.hijack(); // the endpoint writes to Node's response itself
    const body: unknown = request.body;
    await endpoint.handle(
      request.raw,
      reply.raw,
      request,
      typeof body === 'string' ? body : undefined,
    );
  };
  return async function breakwaterAdminPlugin(instance: FastifyInstance): Promise<void> {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: PARSER_LIMIT },
      (_request, text, done) => done(null, text),
    );
    const route = {
      method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as (
        'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
      )[],
      config: { circuitBreaker: false as const },
      handler,
    };
    instance.route({ ...route, url: '/' });
    instance.route({ ...route, url: '/*' });
  };
}
