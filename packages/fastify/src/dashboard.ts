// A Fastify route handler for the live dashboard page and its event stream, over core's endpoint.
import { dashboardEndpoint, type DashboardEndpoint, type DashboardOptions } from '@breakwater/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Options of {@link dashboardHandler}: `authorize` receives Fastify's `request`. */
export type FastifyDashboardOptions = DashboardOptions<FastifyRequest>;

/** A Fastify route handler serving the dashboard; `close()` ends its streams and frees its listeners. */
export interface DashboardRouteHandler {
  (request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Event streams open now. */
  readonly clients: number;
  /** Ends every open stream and frees every listener and timer; later requests get `503`. */
  close(): void;
}

/**
 * The live dashboard: `GET <path>` is the page, `GET <path>?events` its Server-Sent Events stream.
 * `authorize(request)` is required; a refused request gets `403` and changes nothing. Leave the
 * route unguarded, and close the handler with the app.
 *
 * @example
 * const dashboard = dashboardHandler({ authorize: (request) => request.headers['x-admin'] === token });
 * app.get('/breakwater', { config: { circuitBreaker: false } }, dashboard);
 * app.addHook('onClose', async () => dashboard.close());
 */
export function dashboardHandler(options: FastifyDashboardOptions): DashboardRouteHandler {
  const endpoint: DashboardEndpoint<FastifyRequest> = dashboardEndpoint(options);
  const handler = async function breakwaterDashboard(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    reply.hijack(); // the endpoint writes to Node's response itself
    await endpoint.handle(request.raw, reply.raw, request);
  };
  return Object.defineProperties(handler, {
    clients: { get: () => endpoint.clients },
    close: { value: () => endpoint.close() },
  }) as DashboardRouteHandler;
}
