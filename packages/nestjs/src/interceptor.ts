// The Nest interceptor: Nest's side of core's request guard (both platforms), one call into it per request.

import {
  ANSWERED,
  createGuardCache,
  expressRouteName,
  expressRoutePath,
  hookResponsePrototype,
  isAdmitted,
  parseGuardOptions,
  PASS,
  readGuardOptions,
  RequestGuard,
  routeBreakerName,
  routeScope,
  type FrameworkBinding,
} from '@breakwater/core/adapter';
import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type OnModuleInit,
} from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { from, mergeMap, NEVER, type Observable } from 'rxjs';
import { CIRCUIT_BREAKER_METADATA } from './decorator.js';
import {
  BREAKWATER_SETTINGS,
  type BreakwaterSettings,
  type NestCircuitBreakerOptions,
  type NestOnReject,
  type NestRequest,
  type NestResponse,
} from './options.js';

/**
 * Fastify's `request`/`reply` wrap Node's objects in `raw` (an own property); Express's are Node's
 * own. Asked with `hasOwn`: on Express's objects, whose shape is their own per request, reading a
 * property they lack is a slow lookup along the prototype chain.
 */
const hasRaw = (object: object): boolean => Object.hasOwn(object, 'raw');
const isFastify = (response: NestResponse): boolean =>
  hasRaw(response as object) && typeof response.code === 'function';

/** The route template of the request: Fastify's route URL, or Express's mount path and route. */
function routePath(request: NestRequest): string | undefined {
  if (!hasRaw(request as object)) return expressRoutePath(request);
  const url: unknown = request.routeOptions?.url;
  return typeof url === 'string' ? url : undefined;
}

/** `GET /users/:id`, from the request's route template (kept per route on Express). */
function routeNameOf(request: NestRequest): string | undefined {
  if (!hasRaw(request as object)) return expressRouteName(request);
  const path = routePath(request);
  return path === undefined ? undefined : routeBreakerName(request.method, path);
}

/** How Nest is bound to core, on either platform (told apart per request). */
const binding: FrameworkBinding<NestRequest, NestResponse> = {
  rawRequest: (request) => (hasRaw(request as object) ? request.raw : request),
  rawResponse: (_request, response) => (hasRaw(response as object) ? response.raw : response),
  /** `GET /users/:id`: Express's matched route (Nest mounts full paths), Fastify's route URL. */
  routeName: routeNameOf,
  /** The handler's method and path (a Nest breaker always guards one handler's route). */
  scope(request) {
    const path = routePath(request);
    return path === undefined ? undefined : routeScope(request.method, path);
  },
  originalUrl: (request) => request.originalUrl ?? request.raw?.url,
  getHeader: (_request, response, name) => response.getHeader(name),
  send(_request, response, reply) {
    if (isFastify(response)) {
      void response.code(reply.status).headers(reply.headers).send(reply.body);
      return;
    }
    response.statusCode = reply.status;
    for (const name in reply.headers) response.setHeader(name, reply.headers[name]);
    response.end(reply.body);
  },
  callOnReject: (onReject, request, response, rejection) =>
    (onReject as NestOnReject)(request, response, rejection),
  responded: (_request, response) =>
    isFastify(response) ? response.sent === true : response.headersSent || response.writableEnded,
  /** On Express, through the app's response prototype, as the Express adapter does. */
  attach: (call, request, response) =>
    !hasRaw(response as object) && hookResponsePrototype(call, request, response),
};

/**
 * Guards Nest's HTTP routes: registered by `BreakwaterModule.forRoot()` as a global interceptor.
 * Builds one request guard per route handler (options of the module, the controller's
 * `@CircuitBreaker()` and the handler's, merged in that order) and judges each call by the status of
 * its response head, which Nest writes for thrown exceptions too: an `HttpException` with a 4xx
 * (`NotFoundException`, `ValidationPipe`'s 400) is never a failure, a 5xx or an unhandled error is.
 * What Nest's guards (`CanActivate`) refuse never reaches it.
 */
@Injectable()
export class CircuitBreakerInterceptor implements NestInterceptor, OnModuleInit {
  private readonly reflector = new Reflector();
  private readonly guards = new WeakMap<
    object,
    Map<object, RequestGuard<NestRequest, NestResponse> | null>
  >();
  private readonly defaults: NestCircuitBreakerOptions;

  constructor(
    @Inject(BREAKWATER_SETTINGS) private readonly settings: BreakwaterSettings,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
  ) {
    const options = settings.options;
    // One response cache for every route of the module (a POST invalidates what a GET stored).
    const shared = createGuardCache(options.cache, options.clock);
    this.defaults = shared === undefined ? options : { ...options, cache: shared.cache };
  }

  /**
   * Builds the guard of every route handler at startup, so that breakers with a fixed `name` are in
   * the registry (health, readiness, metrics, `forceOpen()`) before the first request.
   */
  onModuleInit(): void {
    const scanner = new MetadataScanner();
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function') continue;
        if (this.reflector.get(PATH_METADATA, handler) === undefined) continue;
        this.guardOf(wrapper.metatype, handler);
      }
    }
  }

  /** One call into core per request; a refused request is answered here and the handler never runs. */
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const guard = this.guardOf(context.getClass(), context.getHandler());
    if (guard === null) return next.handle();
    const http = context.switchToHttp();
    const verdict = guard.enter(http.getRequest(), http.getResponse());
    if (verdict === PASS || isAdmitted(verdict)) return next.handle();
    // Answered (or being answered): the handler must not run, and Nest must not write a reply.
    if (verdict === ANSWERED) return NEVER;
    return from(verdict).pipe(mergeMap(() => NEVER));
  }

  private guardOf(
    controller: object,
    handler: object,
  ): RequestGuard<NestRequest, NestResponse> | null {
    let byHandler = this.guards.get(controller);
    if (byHandler === undefined) this.guards.set(controller, (byHandler = new Map()));
    let guard = byHandler.get(handler);
    if (guard === undefined) {
      guard = this.build(controller, handler);
      byHandler.set(handler, guard);
    }
    return guard;
  }

  private build(
    controller: object,
    handler: object,
  ): RequestGuard<NestRequest, NestResponse> | null {
    const own = this.reflector.get<NestCircuitBreakerOptions | false | undefined>(
      CIRCUIT_BREAKER_METADATA,
      handler as () => void,
    );
    const shared = this.reflector.get<NestCircuitBreakerOptions | false | undefined>(
      CIRCUIT_BREAKER_METADATA,
      controller as () => void,
    );
    if (own === false || (own === undefined && shared === false)) return null;
    if (own === undefined && shared === undefined && this.settings.routes === 'decorated')
      return null;
    const merged: NestCircuitBreakerOptions = {
      ...this.defaults,
      ...(shared ? readGuardOptions(shared) : {}),
      ...(own ? readGuardOptions(own) : {}),
    };
    return new RequestGuard(parseGuardOptions(merged, '@CircuitBreaker() options'), binding);
  }
}
