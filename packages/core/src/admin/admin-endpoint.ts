// The admin API as a framework-neutral Node handler: list breakers, and operate them behind authorize(req).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminContext, CircuitBreaker } from '../circuit-breaker.js';
import { healthSnapshot } from '../health/health-snapshot.js';
import type { LiveOptions } from '../live-options.js';
import type { BreakerRegistry } from '../registry.js';
import { readOptionsBody } from './admin-body.js';
import { parseAdminOptions, type AdminConfig, type AdminOptions } from './admin-options.js';
import { AdminProblem, sendJson, sendProblem } from './admin-problem.js';
import { ADMIN_ACTIONS, parseAdminRoute, type AdminRouteAction } from './admin-route.js';

/** A prepared admin API: serve requests with {@link AdminEndpoint.handle}. */
export interface AdminEndpoint<R = IncomingMessage> {
  /**
   * Answers one request. `subject` is what `authorize` receives (an adapter's own request object);
   * default `req`. `body` is the request body when a framework parsed it already; else it is
   * read from `req` (for `configure` only).
   */
  handle(req: IncomingMessage, res: ServerResponse, subject?: R, body?: unknown): Promise<void>;
}

/** The answer to a successful action. */
export interface AdminActionResult {
  readonly action: AdminRouteAction;
  readonly target: string;
  /** Who did it (what `authorize` returned), or `null`. */
  readonly by: string | null;
  /** For `configure`: the options changed. */
  readonly changes?: Readonly<Record<string, unknown>>;
  /** For `configure`, `shadow`, `enforce` on a keyed family: families whose new breakers follow. */
  readonly families: readonly string[];
  /** Every breaker changed, as it is now. */
  readonly breakers: readonly ReturnType<CircuitBreaker['snapshot']>[];
}

const ACTIONS: ReadonlySet<string> = new Set(ADMIN_ACTIONS);

/** The breakers and keyed families `target` names (see `BreakerRegistry.select`). */
function select(
  registry: BreakerRegistry,
  target: string,
): { breakers: readonly CircuitBreaker[]; families: readonly string[] } {
  const { breakers, families } = registry.select(target);
  return { breakers, families: families.map((family) => family.name) };
}

function isJson(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return typeof type === 'string' && /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type);
}

/** Runs one action; throws an {@link AdminProblem} for bad input (nothing changed then). */
async function act<R>(
  config: AdminConfig<R>,
  req: IncomingMessage,
  target: string,
  action: AdminRouteAction,
  by: string | undefined,
  body: unknown,
): Promise<Omit<AdminActionResult, 'breakers'> & { breakers: readonly CircuitBreaker[] }> {
  const context: AdminContext = { by };
  const selected = select(config.registry, target);
  if (selected.breakers.length === 0 && selected.families.length === 0) {
    throw new AdminProblem(
      404,
      'unknown-breaker',
      `No breaker or keyed family is named ${JSON.stringify(target)} (use "<prefix>*" for a prefix, "<family>:" for a keyed family).`,
    );
  }
  const base = { action, target, by: by ?? null };
  if (action === 'force-open' || action === 'reset' || action === 'disable') {
    for (const breaker of selected.breakers) {
      if (action === 'force-open') breaker.forceOpen(context);
      else if (action === 'reset') breaker.reset(context);
      else breaker.disable(context);
    }
    return { ...base, families: [], breakers: selected.breakers };
  }
  const changes: Record<string, unknown> =
    action === 'configure'
      ? await readOptionsBody(req, config.maxBodyBytes, body)
      : { mode: action === 'shadow' ? 'shadow' : 'enforce' };
  if (Object.keys(changes).length === 0) {
    throw new AdminProblem(400, 'no-options', 'The request body names no option to change.');
  }
  try {
    const result = config.registry.configure(target, changes as LiveOptions, context);
    const names = new Set(result.breakers);
    return {
      ...base,
      changes,
      families: result.families,
      breakers: selected.breakers.filter((breaker) => names.has(breaker.name)),
    };
  } catch (error) {
    if (error instanceof TypeError) {
      throw new AdminProblem(400, 'invalid-option', error.message);
    }
    throw error;
  }
}

/**
 * Prepares the admin API over a breaker registry. Mount it under a path of your choice; it reads
 * the tail of the URL:
 *
 * - `GET …` (any path but the two below): every breaker, the same JSON as the health endpoint.
 * - `GET …/breakers/<name>`: one breaker's snapshot.
 * - `POST …/breakers/<target>/<action>`, action one of `force-open`, `reset`, `disable`,
 *   `shadow`, `enforce`, `configure` (a JSON object of options in the body, see
 *   `CircuitBreaker.configure()`). `<target>` (URI-encoded) is a breaker's name (and a keyed
 *   family of that name), `<prefix>*` or `<family>:`.
 *
 * `authorize` is required and runs first; a refused request gets `403` and changes nothing. A
 * `POST` must carry `Content-Type: application/json` or the dashboard's `X-Breakwater-Dashboard`
 * header (a cross-site form can send neither without a CORS preflight), else `415`. Bad input
 * (unknown breaker or action, unknown option, invalid value, bad JSON, a body over
 * `maxBodyBytes`) is a 4xx `application/problem+json` naming it, and changes nothing. Every
 * change is logged (who, what, which breakers) and emitted as an `admin` event by each breaker.
 *
 * @example
 * const admin = adminEndpoint({ authorize: (req) => req.headers['x-admin-token'] === token && 'ops' });
 * http.createServer((req, res) => {
 *   if (req.url?.startsWith('/admin/breakwater')) void admin.handle(req, res);
 * });
 */
export function adminEndpoint<R = IncomingMessage>(options: AdminOptions<R>): AdminEndpoint<R> {
  const config = parseAdminOptions(options);
  const log = (message: string): void => {
    try {
      (config.logger.info ?? config.logger.warn).call(config.logger, message);
    } catch {
      // A broken logger must not break the request.
    }
  };

  async function principal(subject: R): Promise<string | false> {
    try {
      const verdict = await config.authorize(subject);
      if (verdict === true) return '';
      if (typeof verdict === 'string' && verdict !== '') return verdict;
      return false;
    } catch (error) {
      config.logger.error(
        `[breakwater] admin authorize threw; the request was refused: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
      return false;
    }
  }

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    subject: R,
    body: unknown,
  ): Promise<void> {
    const who = await principal(subject);
    if (who === false) {
      throw new AdminProblem(
        403,
        'forbidden',
        'This request may not use the Breakwater admin API.',
      );
    }
    const method = req.method ?? 'GET';
    let route;
    try {
      route = parseAdminRoute(req.url);
    } catch {
      throw new AdminProblem(
        400,
        'bad-name',
        'The breaker name in the path is not valid URI encoding.',
      );
    }
    if (method === 'GET' || method === 'HEAD') {
      if (route.kind === 'one') {
        const breaker = config.registry.get(route.target);
        if (breaker === undefined) {
          throw new AdminProblem(
            404,
            'unknown-breaker',
            `No breaker is named ${JSON.stringify(route.target)}.`,
          );
        }
        return sendJson(res, 200, breaker.snapshot(), method === 'HEAD');
      }
      if (route.kind === 'action') {
        throw new AdminProblem(405, 'method-not-allowed', `${route.action} takes POST.`, {
          Allow: 'POST',
        });
      }
      return sendJson(res, 200, healthSnapshot(config.registry), method === 'HEAD');
    }
    if (method !== 'POST') {
      throw new AdminProblem(405, 'method-not-allowed', `${method} is not allowed here.`, {
        Allow: 'GET, HEAD, POST',
      });
    }
    if (route.kind !== 'action') {
      throw new AdminProblem(
        404,
        'unknown-route',
        'POST …/breakers/<name>/<action>, action one of ' + ADMIN_ACTIONS.join(', ') + '.',
      );
    }
    if (!ACTIONS.has(route.action)) {
      throw new AdminProblem(
        404,
        'unknown-action',
        `Unknown action ${JSON.stringify(route.action)}; one of ${ADMIN_ACTIONS.join(', ')}.`,
      );
    }
    if (!isJson(req) && req.headers['x-breakwater-dashboard'] === undefined) {
      throw new AdminProblem(
        415,
        'json-required',
        "A POST must carry Content-Type: application/json (or the dashboard's X-Breakwater-Dashboard header).",
      );
    }
    const by = who === '' ? undefined : who;
    const action = route.action as AdminRouteAction;
    const result = await act(config, req, route.target, action, by, body);
    log(
      `[breakwater] admin: ${by ?? 'an authorized caller'} ${action} ${JSON.stringify(route.target)}` +
        `${result.changes === undefined ? '' : ` ${JSON.stringify(result.changes)}`}` +
        ` → ${result.breakers.map((b) => b.name).join(', ') || '(no breaker yet)'}` +
        `${result.families.length > 0 ? ` (families ${result.families.join(', ')})` : ''}`,
    );
    const answer: AdminActionResult = {
      ...result,
      breakers: result.breakers.map((breaker) => breaker.snapshot()),
    };
    sendJson(res, 200, answer);
  }

  return {
    async handle(req, res, subject, body) {
      try {
        await serve(req, res, (subject ?? req) as R, body);
      } catch (error) {
        if (error instanceof AdminProblem) return sendProblem(res, error);
        config.logger.error(
          `[breakwater] admin request failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        sendProblem(
          res,
          new AdminProblem(500, 'internal', 'The admin request failed; see the server log.'),
        );
      }
    },
  };
}
