// Optional span events: rejections and transitions recorded on the span active when they happen.

import type { BreakerRegistry, Disposable } from '@breakwater/core';
import { trace, type Attributes } from '@opentelemetry/api';

/** The names of the span events {@link recordSpanEvents} adds. */
export const SPAN_EVENT_NAMES: {
  readonly reject: 'breakwater.reject';
  readonly transition: 'breakwater.transition';
} = Object.freeze({ reject: 'breakwater.reject', transition: 'breakwater.transition' });

/**
 * Adds a `breakwater.reject` event to the active span of each rejected request, and a
 * `breakwater.transition` event to the active span of the request that moved a breaker (a trip, a
 * probe closing it). Without an active span nothing is done. This listens to every rejection, so
 * a rejected request builds one event object: a cost paid only while it is on.
 */
export function recordSpanEvents(registry: BreakerRegistry): Disposable {
  const familyOf = (breaker: string): Attributes => {
    const family = registry.get(breaker)?.family;
    return family === undefined ? {} : { 'breakwater.family': family };
  };
  const rejects = registry.onReject((event) => {
    const span = trace.getActiveSpan();
    if (span === undefined) return;
    span.addEvent(SPAN_EVENT_NAMES.reject, {
      'breakwater.breaker': event.breaker,
      ...familyOf(event.breaker),
      'breakwater.state': event.state,
      'breakwater.retry_after_ms': event.retryAfterMs,
    });
  });
  const transitions = registry.onStateChange((event) => {
    const span = trace.getActiveSpan();
    if (span === undefined) return;
    span.addEvent(SPAN_EVENT_NAMES.transition, {
      'breakwater.breaker': event.breaker,
      ...familyOf(event.breaker),
      'breakwater.from': event.from,
      'breakwater.to': event.to,
      'breakwater.reason': event.reason,
    });
  });
  return {
    dispose() {
      rejects.dispose();
      transitions.dispose();
    },
  };
}
