// Listens on an ephemeral 127.0.0.1 port through an app's listen() and returns a RunningApi that closes it.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningApi } from './api-config.js';

/** Anything with Node's `listen(port, host, callback)` returning an `http.Server` (Express, Koa). */
interface Listens {
  listen(port: number, host: string, callback: () => void): Server;
}

/** Starts `app` on 127.0.0.1 with a port the system picks. */
export async function serve(app: Listens): Promise<RunningApi> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
