// An Express handler for the admin API (list and operate breakers), over core's endpoint.
import { adminEndpoint, type AdminEndpoint, type AdminOptions } from '@breakwater/core';
import type { Request, Response } from 'express';

/** Options of {@link adminHandler}: `authorize` receives Express's `req`. */
export type ExpressAdminOptions = AdminOptions<Request>;

/** An Express handler serving the admin API. */
export type AdminRequestHandler = (req: Request, res: Response) => Promise<void>;

/**
 * The admin API, mounted where you choose: `GET <path>` lists breakers (the health JSON),
 * `POST <path>/breakers/<name>/<action>` operates one (action `force-open`, `reset`, `disable`,
 * `shadow`, `enforce`, or `configure` with a JSON body of options). `authorize(req)` is required;
 * it may return a string naming who asks (logged and put in every event). A body already parsed
 * by `express.json()` is used as is.
 *
 * @example
 * app.use('/admin/breakwater', adminHandler({ authorize: (req) => req.get('x-admin-token') === token && 'ops' }));
 */
export function adminHandler(options: ExpressAdminOptions): AdminRequestHandler {
  const endpoint: AdminEndpoint<Request> = adminEndpoint(options);
  return function breakwaterAdmin(req: Request, res: Response): Promise<void> {
    const parsed: unknown = req.readableEnded ? (req.body as unknown) : undefined;
    return endpoint.handle(req, res, req, parsed);
  };
}
