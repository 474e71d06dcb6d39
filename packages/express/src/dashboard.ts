// An Express route handler for the live dashboard page and its event stream, over core's endpoint.
import { dashboardEndpoint, type DashboardEndpoint, type DashboardOptions } from '@breakwater/core';
import type { Request, Response } from 'express';

/** Options of {@link dashboardHandler}: `authorize` receives Express's `req`. */
export type ExpressDashboardOptions = DashboardOptions<Request>;

/** An Express handler serving the dashboard; `close()` ends its streams and frees its listeners. */
export interface DashboardRequestHandler {
  (req: Request, res: Response): Promise<void>;
  /** Event streams open now. */
  readonly clients: number;
  /** Ends every open stream and frees every listener and timer; later requests get `503`. */
  close(): void;
}

/**
 * The live dashboard: `GET <path>` is the page, `GET <path>?events` its Server-Sent Events stream.
 * `authorize(req)` is required; a refused request gets `403` and changes nothing.
 *
 * @example
 * const dashboard = dashboardHandler({ authorize: (req) => req.get('x-admin-token') === token });
 * app.get('/breakwater', dashboard);
 * // on shutdown: dashboard.close();
 */
export function dashboardHandler(options: ExpressDashboardOptions): DashboardRequestHandler {
  const endpoint: DashboardEndpoint<Request> = dashboardEndpoint(options);
  const handler = function breakwaterDashboard(req: Request, res: Response): Promise<void> {
    return endpoint.handle(req, res, req);
  };
  return Object.defineProperties(handler, {
    clients: { get: () => endpoint.clients },
    close: { value: () => endpoint.close() },
  }) as DashboardRequestHandler;
}
