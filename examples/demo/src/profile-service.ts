// The upstream the API depends on: a tiny HTTP service whose health the demo script controls.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Health } from './timeline.js';

/** A running profile service. */
export interface ProfileService {
  readonly url: string;
  /** Changes how it behaves from now on. */
  setHealth(health: Health): void;
  close(): Promise<void>;
}

/** Starts the profile service on 127.0.0.1 with an ephemeral port. */
export async function startProfileService(slowMs: number): Promise<ProfileService> {
  let health: Health = 'healthy';
  const server = http.createServer((req, res) => {
    const id = (req.url ?? '').split('/').pop() ?? '0';
    const answer = (): void => {
      if (health === 'failing') {
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end('{"error":"database unavailable"}');
        return;
      }
      const body = JSON.stringify({
        id,
        name: `User ${id}`,
        plan: Number(id) % 2 ? 'pro' : 'free',
      });
      res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=5' })
        .end(body);
    };
    if (health === 'slow') {
      const timer = setTimeout(answer, slowMs);
      req.on('close', () => clearTimeout(timer));
    } else {
      setTimeout(answer, 10);
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setHealth: (next) => void (health = next),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
