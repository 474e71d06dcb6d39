// The Fastify plugin: one request guard per route, built in onRoute; one call into core per request.

import type { GuardOptions, Rejection } from '@breakwater/core';
import {
  ANSWERED,
  createGuardCache,
  isAdmitted,
  optionNames,
  parseGuardOptions,
  PASS,
  readGuardOptions,
  RequestGuard,
  routeBreakerName,
  routeScope,
  type FrameworkBinding,
  type GuardedCall,
} from '@breakwater/core/adapter';
import type {
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
  onErrorHookHandler,
  onRequestHookHandler,
  RouteOptions,
} from 'fastify';
import fp from 'fastify-plugin';

/** A custom short-circuit response: send it with `reply` (the state headers are already set). */
export type FastifyOnReject = (
  request: FastifyRequest,
  reply: FastifyReply,
  rejection: Rejection,
) => void | Promise<void>;

/** Options of the plugin and of a route's `config.circuitBreaker` (which override the plugin's). */
export type FastifyCircuitBreakerOptions = GuardOptions<FastifyRequest, FastifyOnReject>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's circuit-breaker options (merged over the plugin's), or `false` to leave it unguarded. */
    circuitBreaker?: FastifyCircuitBreakerOptions | false;
  }
}

/** Where an admitted request keeps its call: a request decorator, so the request keeps its shape. */
const CALL: unique symbol = Symbol('breakwater.call');
type WithCall = { [CALL]?: GuardedCall | null };

/** Options Fastify itself may pass to a plugin, not ours to validate. */
const REGISTER_OPTIONS = new Set(['prefix', 'logLevel', 'logSerializers']);

/** The plugin's own options (inherited ones included), without those Fastify passes to every plugin. */
function withoutRegisterOptions(options: object): FastifyCircuitBreakerOptions {
  const own: Record<string, unknown> = {};
  for (const name of optionNames(options)) {
    if (!REGISTER_OPTIONS.has(name)) own[name] = (options as Record<string, unknown>)[name];
  }
  return own as FastifyCircuitBreakerOptions;
}

/** How Fastify is bound to core: `request`/`reply` wrap Node's request and response. */
const binding: FrameworkBinding<FastifyRequest, FastifyReply> = {
  rawRequest: (request) => request.raw,
  rawResponse: (_request, reply) => reply.raw,
  getHeader: (_request, reply, name) => reply.getHeader(name),
  send(_request, reply, r) {
    void reply
      .code(r.status)
      .headers(r.headers as Record<string, string | string[]>)
      .send(r.body);
  },
  callOnReject: (onReject, request, reply, rejection) =>
    (onReject as FastifyOnReject)(request, reply, rejection),
  responded: (_request, reply) => reply.sent,
};

function guardHook(guard: RequestGuard<FastifyRequest, FastifyReply>): onRequestHookHandler {
  return function circuitBreakerOnRequest(request, reply, done) {
    const verdict = guard.enter(request, reply);
    if (verdict === ANSWERED) return;
    if (verdict === PASS) return done();
    if (isAdmitted(verdict)) {
      (request as WithCall)[CALL] = verdict;
      return done();
    }
    verdict.catch((error: unknown) => reply.send(error));
  };
}

const recordError: onErrorHookHandler = function circuitBreakerOnError(
  request,
  _reply,
  error,
  done,
) {
  (request as WithCall)[CALL]?.noteError(error);
  done();
};

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const plugin: FastifyPluginCallback<FastifyCircuitBreakerOptions> = (fastify, rawOptions, done) => {
  let options = withoutRegisterOptions(rawOptions);
  try {
    parseGuardOptions(options, '@breakwater/fastify options'); // bad options fail at registration
  } catch (error) {
    done(error as Error);
    return;
  }
  // Declared up front (null until a request is admitted): Fastify builds every request with the
  // slot, instead of each admitted request gaining a property (a shape change per request).
  if (!fastify.hasRequestDecorator(CALL)) fastify.decorateRequest(CALL, null);
  // One response cache for every route of this registration (a POST invalidates what a GET stored).
  const shared = createGuardCache(options.cache, options.clock);
  if (shared !== undefined) options = { ...options, cache: shared.cache };
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const own = route.config?.circuitBreaker;
    if (own === false) return;
    // The route's options validated on their own first (a typo there is named), then read by name.
    if (own !== undefined)
      parseGuardOptions(own, `config.circuitBreaker of ${route.method} ${route.url}`);
    const merged = own === undefined ? options : { ...options, ...readGuardOptions(own) };
    const method = Array.isArray(route.method) ? route.method.join(',') : route.method;
    const name = routeBreakerName(method, route.url);
    const guard = new RequestGuard<FastifyRequest, FastifyReply>(
      parseGuardOptions<FastifyRequest>(merged, `config.circuitBreaker of ${name}`),
      binding,
      name,
      routeScope(route.method, route.url),
    );
    route.onRequest = [guardHook(guard), ...asArray(route.onRequest)];
    route.onError = [recordError, ...asArray(route.onError)];
  });
  done();
};

/**
 * Registered once, guards every route with its own breaker named by method and route pattern
 * (`GET /users/:id`); a route's `config.circuitBreaker` overrides the options, `false` opts out.
 *
 * @example
 * await app.register(fastifyCircuitBreaker, { failureThreshold: 5 });
 * app.get('/health', { config: { circuitBreaker: false } }, () => 'ok');
 */
export const fastifyCircuitBreaker: FastifyPluginCallback<FastifyCircuitBreakerOptions> = fp(
  plugin,
  { fastify: '5.x', name: '@breakwater/fastify' },
);
