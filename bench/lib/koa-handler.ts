// The Koa handler the bare app and the floor share, so that they differ only in the floor's middleware.

import type { Context } from 'koa';
import { BODY_2KB, HELLO } from './payloads.js';

/** Answers `/body` with the 2 KB JSON and anything else with hello world. */
export async function koaHello(ctx: Context): Promise<void> {
  if (ctx.path === '/body') {
    ctx.type = 'application/json';
    ctx.body = BODY_2KB;
  } else {
    ctx.body = HELLO;
  }
}
