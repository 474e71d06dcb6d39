// Unit tests of brokenOffByServer over real sockets: a client that leaves versus a server that cuts off.

import { createServer, get, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { brokenOffByServer } from './broken-off.js';

/** Serves one request with `act`, returns what brokenOffByServer said when the response closed. */
async function verdict(
  act: (req: IncomingMessage, res: ServerResponse) => void,
  clientLeaves: boolean,
): Promise<boolean> {
  let resolveVerdict!: (value: boolean) => void;
  const said = new Promise<boolean>((resolve) => (resolveVerdict = resolve));
  const server = createServer((req, res) => {
    res.once('close', () => resolveVerdict(brokenOffByServer(req, res)));
    res.writeHead(200);
    res.write('partial');
    act(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const request = get({ host: '127.0.0.1', port, path: '/' }, (res) => {
    res.on('error', () => {});
    if (clientLeaves) res.once('data', () => request.destroy());
  });
  request.on('error', () => {});
  const result = await said;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return result;
}

describe('brokenOffByServer', () => {
  it('says the server broke off a response it destroyed with an error', async () => {
    expect(
      await verdict((_req, res) => setTimeout(() => res.destroy(new Error('x')), 10), false),
    ).toBe(true);
  });

  it('says the server broke off a response whose socket it destroyed', async () => {
    expect(await verdict((req) => setTimeout(() => req.socket.destroy(), 10), false)).toBe(true);
  });

  it('says the client left when the client closed the connection mid-body', async () => {
    expect(await verdict(() => {}, true)).toBe(false);
  });
});
