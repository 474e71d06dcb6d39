// The logger seam: warnings about suspicious setups and failing hooks, each code logged once.

/** The subset of `console` Breakwater writes to. */
export interface Logger {
  warn(message: string): void;
  error(message: string): void;
}

/** The default logger. */
export const consoleLogger: Logger = {
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

const warned = new WeakMap<Logger, Set<string>>();

/** Logs `message` under `code` through `logger`, once per logger and code. */
export function warnOnce(logger: Logger, code: string, message: string): void {
  let codes = warned.get(logger);
  if (codes === undefined) {
    codes = new Set();
    warned.set(logger, codes);
  }
  if (codes.has(code)) return;
  codes.add(code);
  try {
    logger.warn(`[breakwater] ${code}: ${message}`);
  } catch {
    // A broken logger must not break the caller.
  }
}
