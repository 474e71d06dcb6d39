// Header names and constants of the HTTP contract, mirrored from the server side so the client stays dependency-free.

/** The breaker state header every guarded server response carries. */
export const STATE_HEADER = 'X-Circuit-Breaker-State';
/** RFC 9110 §10.2.3. */
export const RETRY_AFTER_HEADER = 'Retry-After';
/** Marks a response the client made up locally instead of calling the network. */
export const CLIENT_HEADER = 'X-Breakwater-Client';
/** The value of {@link CLIENT_HEADER} on a local short-circuit response. */
export const SHORT_CIRCUIT = 'short-circuit';
/** The `type` URI of Breakwater's problem documents (the same as the server's). */
export const PROBLEM_TYPE = 'urn:breakwater:problem:circuit-open';
/** The header a server's short-circuit declares its breaker's scope in (and the client's local 503 repeats). */
export const SCOPE_HEADER = 'X-Circuit-Breaker-Scope';
