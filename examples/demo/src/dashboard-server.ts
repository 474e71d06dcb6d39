// `pnpm demo --dashboard`: serves the live dashboard page for the demo's breakers on 127.0.0.1.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dashboardEndpoint, type BreakerRegistry } from '@breakwater/core';

/** The running dashboard: its page's URL and how to stop it. */
export interface DemoDashboard {
  readonly url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Serves `registry`'s dashboard at `http://127.0.0.1:<port>/breakwater`. Its `authorize` lets in
 * only this machine: a real app would check a session or a token instead.
 */
export async function startDashboard(registry: BreakerRegistry, port = 0): Promise<DemoDashboard> {
  const dashboard = dashboardEndpoint({
    registry,
    title: 'Breakwater demo',
    authorize: (req) => LOOPBACK.has(req.socket.remoteAddress ?? ''),
  });
  const server = createServer((req, res) => {
    if (req.url === '/breakwater' || req.url?.startsWith('/breakwater?')) {
      void dashboard.handle(req, res);
      return;
    }
    res.writeHead(302, { Location: '/breakwater' }).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/breakwater`,
    close: () =>
      new Promise((resolve) => {
        dashboard.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
