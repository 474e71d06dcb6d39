// The NestJS app both Nest servers share (platform-express): /hello and /body, decorated by hand (no decorator syntax here).

import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import { Controller, Get, Header, HttpException, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import express from 'express';
import { isFailing } from '../lib/drive.js';
import { BODY_2KB, HELLO } from '../lib/payloads.js';

class BenchController {
  hello(): typeof HELLO {
    if (isFailing()) throw new HttpException({ error: 'failing' }, 500);
    return HELLO;
  }

  body(): string {
    if (isFailing()) throw new HttpException({ error: 'failing' }, 500);
    return BODY_2KB;
  }
}
const prototype = BenchController.prototype;
const decorate = (name: 'hello' | 'body', decorators: MethodDecorator[]): void => {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, name)!;
  for (const decorator of decorators) decorator(prototype, name, descriptor);
};
decorate('hello', [Get('hello')]);
decorate('body', [Get('body'), Header('Content-Type', 'application/json')]);
Controller()(BenchController);

/** A listening-ready server for the app, with `imports` (BreakwaterModule or none). */
export async function nestServer(imports: DynamicModule[]): Promise<Server> {
  class BenchModule {}
  Module({ imports, controllers: [BenchController] })(BenchModule);
  const instance = express();
  const app = await NestFactory.create(BenchModule, new ExpressAdapter(instance), {
    logger: false,
  });
  await app.init();
  return createServer(instance);
}
