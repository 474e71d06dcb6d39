// Koa middleware for the admin API (list and operate breakers), over core's endpoint.
import { adminEndpoint, type AdminEndpoint, type AdminOptions } from '@breakwater/core';
import type { Context, Middleware } from 'koa';

/** Options of {@link adminHandler}: `authorize` receives Koa's `ctx`. */
export type KoaAdminOptions = AdminOptions<Context>;

/**
 * The admin API as a terminal middleware (e.g. a @koa/router route for `<path>` and
 * `<path>/(.*)`): `GET` lists breakers (the health JSON), `POST …/breakers/<name>/<action>`
 * operates one (action `force-open`, `reset`, `disable`, `shadow`, `enforce`, or `configure` with
 * a JSON body of options). `authorize(ctx)` is required; it may return a string naming who asks.
 * A body a body parser already read (`ctx.request.body`) is used as is.
 *
 * @example
 * const admin = adminHandler({ authorize: (ctx) => ctx.state.user?.admin === true && ctx.state.user.name });
 * router.all(['/admin/breakwater', '/admin/breakwater/(.*)'], admin);
 */
export function adminHandler(options: KoaAdminOptions): Middleware {
  const endpoint: AdminEndpoint<Context> = adminEndpoint(options);
  return async function breakwaterAdmin(ctx: Context): Promise<void> {
    ctx.respond = false; // the endpoint writes to Node's response itself
    const request = ctx.request as { body?: unknown };
    await endpoint.handle(ctx.req, ctx.res, ctx, ctx.req.readableEnded ? request.body : undefined);
  };
}
