// NestJS's floor: the bare app plus one global interceptor that sets the state header, observes completion and returns the handler's stream.

import type { CallHandler, DynamicModule, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { serve } from '../lib/serve.js';
import { nestServer } from './nest-app.js';

/** What a completion observer does when the response finished: nothing (the floor measures the hook). */
function finished(): void {}

/**
 * The least a Nest interceptor keeping the contract does: stamp the header, observe completion
 * (on Express's response, as the Express floor does), let the handler run.
 */
class FloorInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<{
      setHeader(n: string, v: string): void;
      once(event: string, listener: () => void): void;
    }>();
    response.setHeader('X-Circuit-Breaker-State', 'closed');
    response.once('finish', finished);
    return next.handle();
  }
}
Injectable()(FloorInterceptor);

class FloorModule {}
const floor: DynamicModule = {
  module: FloorModule,
  providers: [{ provide: APP_INTERCEPTOR, useClass: FloorInterceptor }],
};

await serve(await nestServer([floor]));
