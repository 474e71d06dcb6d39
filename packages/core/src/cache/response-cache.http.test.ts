// The response cache behind a real node:http server on 127.0.0.1: a minimal adapter, bytes checked on the wire.
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ResponseCache } from './response-cache.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A breaker stand-in (`open`) and the four adapter steps, written the way an adapter would. */
function guarded(cache: ResponseCache, handler: Handler) {
  const state = { open: false };
  const server = createServer((req, res) => {
    if (state.open) {
      // Step 3: serve on rejection.
      const reply = cache.lookup(req);
      if (reply !== undefined && !(reply instanceof Promise)) {
        res.writeHead(reply.status, { ...reply.headers, 'x-circuit-breaker-state': 'open' });
        res.end(reply.body);
        return;
      }
      res.writeHead(503, { 'content-type': 'application/problem+json' }).end('{}');
      return;
    }
    // Step 1: check the request.
    const ticket = cache.admit(req);
    if (ticket !== undefined) {
      // Step 2: capture what is written, as it is written.
      const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
      const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => typeof res;
      let capture: ReturnType<ResponseCache['capture']> | null = null;
      const head = () => (capture ??= cache.capture(ticket, res.statusCode, res.getHeaders()));
      res.write = ((chunk: unknown, ...rest: unknown[]) => {
        head()?.write(
          chunk as string,
          typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined,
        );
        return write(chunk, ...rest);
      }) as typeof res.write;
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        const c = typeof chunk === 'function' ? undefined : (chunk as string | undefined);
        const result = end(chunk, ...rest);
        void head()?.end(c, typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined);
        return result;
      }) as typeof res.end;
      res.on('close', () => {
        if (!res.writableFinished) capture?.abandon();
      });
    }
    // Step 4: invalidate after unsafe requests.
    res.on('finish', () => void cache.invalidate(req, res.statusCode, res.getHeaders()));
    handler(req, res);
  });
  return { server, state };
}

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function call(
  port: number,
  path: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ResponseCache over node:http', () => {
  it('serves the last good response, byte for byte, while open; HEAD gets headers only', async () => {
    const cache = new ResponseCache(true);
    let version = 1;
    const { server, state } = guarded(cache, (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.write('{"version":');
      res.end(`${version}}`);
    });
    const port = await listen(server);
    const first = await call(port, '/data?x=1');
    expect(first.body.toString()).toBe('{"version":1}');
    state.open = true;
    const served = await call(port, '/data?x=1');
    expect(served.status).toBe(200);
    expect(served.body.toString()).toBe('{"version":1}');
    expect(served.headers['cache-status']).toBe('breakwater; hit; detail=circuit-open');
    expect(served.headers['age']).toBe('0');
    expect(served.headers['x-circuit-breaker-state']).toBe('open');
    const head = await call(port, '/data?x=1', 'HEAD');
    expect(head.headers['content-length']).toBe('13');
    expect(head.body.length).toBe(0);
    expect((await call(port, '/data?x=2')).status).toBe(503);
    version = 2;
    state.open = false;
    expect((await call(port, '/data?x=1')).body.toString()).toBe('{"version":2}');
  });

  it('keeps gzip bodies as sent and serves them only to the matching Accept-Encoding', async () => {
    const cache = new ResponseCache(true);
    const plain = JSON.stringify({ items: Array.from({ length: 100 }, (_, i) => `item-${i}`) });
    const { server, state } = guarded(cache, (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('vary', 'Accept-Encoding');
      if (String(req.headers['accept-encoding']).includes('gzip')) {
        const zipped = gzipSync(plain);
        res.setHeader('content-encoding', 'gzip');
        res.setHeader('content-length', zipped.length);
        res.end(zipped);
      } else res.end(plain);
    });
    const port = await listen(server);
    const sent = await call(port, '/list', 'GET', { 'accept-encoding': 'gzip' });
    state.open = true;
    const served = await call(port, '/list', 'GET', { 'accept-encoding': 'gzip' });
    expect(served.headers['content-encoding']).toBe('gzip');
    expect(served.body.equals(sent.body)).toBe(true);
    expect(gunzipSync(served.body).toString()).toBe(plain);
    expect((await call(port, '/list', 'GET', { 'accept-encoding': 'identity' })).status).toBe(503);
  });

  it('never stores a cookie-setting or credentialed response, and a DELETE invalidates', async () => {
    const cache = new ResponseCache(true);
    const { server, state } = guarded(cache, (req, res) => {
      if (req.url === '/login') res.setHeader('set-cookie', 'session=alice');
      res.statusCode = req.method === 'DELETE' ? 204 : 200;
      res.end(req.method === 'DELETE' ? undefined : `for ${req.headers.cookie ?? 'anyone'}`);
    });
    const port = await listen(server);
    await call(port, '/login');
    await call(port, '/me', 'GET', { cookie: 'session=alice' });
    await call(port, '/doc');
    state.open = true;
    expect((await call(port, '/login')).status).toBe(503);
    expect((await call(port, '/me')).status).toBe(503);
    expect((await call(port, '/doc')).body.toString()).toBe('for anyone');
    state.open = false;
    await call(port, '/doc', 'DELETE');
    state.open = true;
    expect((await call(port, '/doc')).status).toBe(503);
  });
});
