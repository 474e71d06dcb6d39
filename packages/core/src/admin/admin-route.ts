// Which admin request a method and URL path make: list, one breaker, or an action on a target.

/** What an operator may do to a target through the admin API. */
export const ADMIN_ACTIONS = [
  'force-open',
  'reset',
  'disable',
  'shadow',
  'enforce',
  'configure',
] as const;

/** One of {@link ADMIN_ACTIONS}. */
export type AdminRouteAction = (typeof ADMIN_ACTIONS)[number];

/** A parsed admin request path. */
export type AdminRoute =
  | { readonly kind: 'list' }
  | { readonly kind: 'one'; readonly target: string }
  | { readonly kind: 'action'; readonly target: string; readonly action: string };

/**
 * Parses the path's tail, wherever the API is mounted: `…/breakers/<target>/<action>` is an action,
 * `…/breakers/<target>` one breaker, anything else the list. `<target>` is URI-decoded (the
 * dashboard sends `encodeURIComponent(name)`); an undecodable one throws a `URIError`.
 */
export function parseAdminRoute(url: string | undefined): AdminRoute {
  const path = (url ?? '/').split('?', 1)[0]!.replace(/\/+$/, '');
  const parts = path.split('/');
  const n = parts.length;
  if (n >= 3 && parts[n - 3] === 'breakers' && parts[n - 2] !== '') {
    return { kind: 'action', target: decodeURIComponent(parts[n - 2]!), action: parts[n - 1]! };
  }
  if (n >= 2 && parts[n - 2] === 'breakers' && parts[n - 1] !== '') {
    return { kind: 'one', target: decodeURIComponent(parts[n - 1]!) };
  }
  return { kind: 'list' };
}
