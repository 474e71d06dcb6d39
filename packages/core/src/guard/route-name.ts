// The default breaker name of a route: method and pattern, with HEAD sharing its GET route's breaker.

/** `GET /users/:id` for a route; `HEAD` is named as `GET`, since frameworks answer HEAD with the GET handler. */
export function routeBreakerName(method: string, pattern: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${pattern}`;
}
