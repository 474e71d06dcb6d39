// Koa middleware for the live dashboard page and its event stream, over core's endpoint.
import { dashboardEndpoint, type DashboardEndpoint, type DashboardOptions } from '@breakwater/core';
import type { Context, Middleware } from 'koa';

/** Options of {@link dashboardHandler}: `authorize` receives Koa's `ctx`. */
export type KoaDashboardOptions = DashboardOptions<Context>;

/** Koa middleware serving the dashboard; `close()` ends its streams and frees its listeners. */
export interface DashboardMiddleware extends Middleware {
  /** Event streams open now. */
  readonly clients: number;
  /** Ends every open stream and frees every listener and timer; later requests get `503`. */
  close(): void;
}

/**
 * The live dashboard (a terminal middleware, e.g. a @koa/router route): `GET <path>` is the page,
 * `GET <path>?events` its Server-Sent Events stream. `authorize(ctx)` is required; a refused
 * request gets `403` and changes nothing.
 *
 * @example
 * const dashboard = dashboardHandler({ authorize: (ctx) => ctx.state.user?.admin === true });
 * router.get('/breakwater', dashboard);
 */
export function dashboardHandler(options: KoaDashboardOptions): DashboardMiddleware {
  const endpoint: DashboardEndpoint<Context> = dashboardEndpoint(options);
  const middleware: Middleware = async function breakwaterDashboard(ctx: Context): Promise<void> {
    ctx.respond = false; // the endpoint writes to Node's response itself
    await endpoint.handle(ctx.req, ctx.res, ctx);
  };
  return Object.defineProperties(middleware, {
    clients: { get: () => endpoint.clients },
    close: { value: () => endpoint.close() },
  }) as DashboardMiddleware;
}
