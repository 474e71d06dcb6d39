// The admin endpoint's public options, parsed once into a frozen, fully defaulted configuration.

import { consoleLogger, type Logger } from '../logger.js';
import { defaultRegistry, type BreakerRegistry } from '../registry.js';
import { integer, invalid, rejectUnknown } from '../validate.js';

/**
 * Decides whether a request may use the admin API: `true`, or a non-empty string naming who
 * asks (the principal, logged and put in every `admin` event), lets it in; anything else (or a
 * throw, or a rejected promise) answers `403` and changes nothing.
 */
export type AdminAuthorize<R> = (req: R) => boolean | string | PromiseLike<boolean | string>;

/** Options of {@link adminEndpoint} and of each adapter's `adminHandler`. */
export interface AdminOptions<R> {
  /**
   * Required. Called with the request (each adapter passes its own request object: Express's
   * `req`, Koa's `ctx`, Fastify's `request`; core passes Node's `IncomingMessage`) before
   * anything is read or changed. There is no default: the admin API is never exposed by accident.
   */
  authorize: AdminAuthorize<R>;
  /** Whose breakers to operate. @defaultValue core's process-wide `defaultRegistry` */
  registry?: BreakerRegistry;
  /** Where every change (who, what, which breakers) and a failing `authorize` are written. @defaultValue `console` */
  logger?: Logger & { info?(message: string): void };
  /** The largest `configure` body read, in bytes; a larger one is answered `413`. @defaultValue `16384` */
  maxBodyBytes?: number;
}

/** The parsed form of {@link AdminOptions}. */
export interface AdminConfig<R> {
  readonly authorize: AdminAuthorize<R>;
  readonly registry: BreakerRegistry;
  readonly logger: Logger & { info?(message: string): void };
  readonly maxBodyBytes: number;
}

/** The option names {@link parseAdminOptions} reads. */
export const ADMIN_OPTION_NAMES: ReadonlySet<string> = new Set([
  'authorize',
  'registry',
  'logger',
  'maxBodyBytes',
]);

/** Validates `options` and applies every default; `authorize` is required. */
export function parseAdminOptions<R>(options: AdminOptions<R>): AdminConfig<R> {
  if (typeof options !== 'object' || options === null) {
    invalid('options', options, 'an object with at least { authorize }');
  }
  rejectUnknown(options, ADMIN_OPTION_NAMES, 'admin options');
  const { authorize, registry, logger } = options;
  if (typeof authorize !== 'function') {
    invalid(
      'authorize',
      authorize,
      'a function (req) => boolean | string | Promise<boolean | string> (required: the admin API is never served without one)',
    );
  }
  if (
    registry !== undefined &&
    (typeof registry !== 'object' ||
      registry === null ||
      typeof (registry as Partial<BreakerRegistry>).select !== 'function')
  ) {
    invalid('registry', registry, 'a BreakerRegistry');
  }
  if (
    logger !== undefined &&
    (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function')
  ) {
    invalid('logger', logger, 'a Logger ({ warn(), error() })');
  }
  return Object.freeze({
    authorize,
    registry: registry ?? defaultRegistry,
    logger: logger ?? consoleLogger,
    maxBodyBytes: integer('maxBodyBytes', options.maxBodyBytes, 16_384, 2, 1_048_576),
  });
}
