// The dashboard's public options, parsed once into a frozen, fully defaulted configuration.

import { monotonicClock, type Clock } from '../clock.js';
import { consoleLogger, type Logger } from '../logger.js';
import { defaultRegistry, type BreakerRegistry } from '../registry.js';
import { duration, integer, invalid, rejectUnknown } from '../validate.js';

/**
 * Decides whether a request may see the dashboard: `true` lets it in, anything else (or a throw,
 * or a rejected promise) answers `403` and changes nothing.
 */
export type DashboardAuthorize<R> = (req: R) => boolean | PromiseLike<boolean>;

/** Options of {@link dashboardEndpoint} and of each adapter's `dashboardHandler`. */
export interface DashboardOptions<R> {
  /**
   * Required. Called with the request (each adapter passes its own request object: Express's `req`,
   * Koa's `ctx`, Fastify's `request`; core passes Node's `IncomingMessage`) before anything is
   * served. There is no default: a dashboard is never exposed by accident.
   */
  authorize: DashboardAuthorize<R>;
  /** Whose breakers to show. @defaultValue core's process-wide `defaultRegistry` */
  registry?: BreakerRegistry;
  /** Live event streams served at once; one more is answered `503`. @defaultValue `16` */
  maxClients?: number;
  /**
   * Where the admin API is mounted (a path such as `/admin/breakwater`). When set, the page shows
   * force-open, reset and disable buttons that send `POST <adminPath>/breakers/<name>/<action>`.
   * @defaultValue none: no buttons
   */
  adminPath?: string;
  /** The page's heading and title, e.g. the service's name. @defaultValue `'Breakwater'` */
  title?: string;
  /** Ms between two aggregated updates sent to the page (calls and rejections). @defaultValue `250` */
  updateInterval?: number;
  /** Ms between two keep-alive comments on an idle stream. @defaultValue `15000` */
  heartbeatInterval?: number;
  /** The timers' clock (tests pass a `ManualClock`). @defaultValue core's unref'd monotonic clock */
  clock?: Clock;
  /** Where a failing `authorize` is reported. @defaultValue `console` */
  logger?: Logger;
}

/** The parsed form of {@link DashboardOptions}: every default applied. */
export interface DashboardConfig<R> {
  readonly authorize: DashboardAuthorize<R>;
  readonly registry: BreakerRegistry;
  readonly maxClients: number;
  readonly adminPath: string | undefined;
  readonly title: string;
  readonly updateInterval: number;
  readonly heartbeatInterval: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The option names {@link parseDashboardOptions} reads. */
export const DASHBOARD_OPTION_NAMES: ReadonlySet<string> = new Set([
  'authorize',
  'registry',
  'maxClients',
  'adminPath',
  'title',
  'updateInterval',
  'heartbeatInterval',
  'clock',
  'logger',
]);

const ADMIN_PATH = /^\/[A-Za-z0-9\-._~%/]*$/;

function isRegistry(value: unknown): value is BreakerRegistry {
  const r = value as Partial<BreakerRegistry> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.list === 'function' &&
    typeof r.get === 'function' &&
    typeof r.onStateChange === 'function'
  );
}

/**
 * Validates `options` and applies every default. Throws a `TypeError` naming the first bad option;
 * `authorize` is required.
 */
export function parseDashboardOptions<R>(options: DashboardOptions<R>): DashboardConfig<R> {
  if (typeof options !== 'object' || options === null) {
    invalid('options', options, 'an object with at least { authorize }');
  }
  rejectUnknown(options, DASHBOARD_OPTION_NAMES, 'dashboard options');
  const { authorize, registry, adminPath, title, clock, logger } = options;
  if (typeof authorize !== 'function') {
    invalid(
      'authorize',
      authorize,
      'a function (req) => boolean | Promise<boolean> (required: the dashboard is never served without one)',
    );
  }
  if (registry !== undefined && !isRegistry(registry)) {
    invalid('registry', registry, 'a BreakerRegistry');
  }
  if (adminPath !== undefined && (typeof adminPath !== 'string' || !ADMIN_PATH.test(adminPath))) {
    invalid('adminPath', adminPath, 'a path starting with "/" (letters, digits, - . _ ~ % /)');
  }
  if (
    title !== undefined &&
    (typeof title !== 'string' || title.length === 0 || title.length > 200)
  ) {
    invalid('title', title, 'a non-empty string of at most 200 characters');
  }
  if (
    clock !== undefined &&
    (typeof clock !== 'object' || clock === null || typeof clock.setTimer !== 'function')
  ) {
    invalid('clock', clock, 'a Clock ({ now(), setTimer() })');
  }
  if (
    logger !== undefined &&
    (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function')
  ) {
    invalid('logger', logger, 'a Logger ({ warn(), error() })');
  }
  const updateInterval = duration('updateInterval', options.updateInterval) ?? 250;
  if (updateInterval < 50 || updateInterval > 5_000) {
    invalid('updateInterval', updateInterval, 'a number of milliseconds from 50 to 5000');
  }
  return Object.freeze({
    authorize,
    registry: registry ?? defaultRegistry,
    maxClients: integer('maxClients', options.maxClients, 16, 1, 10_000),
    adminPath: adminPath?.replace(/\/+$/, ''),
    title: title ?? 'Breakwater',
    updateInterval,
    heartbeatInterval: duration('heartbeatInterval', options.heartbeatInterval) ?? 15_000,
    clock: clock ?? monotonicClock,
    logger: logger ?? consoleLogger,
  });
}
