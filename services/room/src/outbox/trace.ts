import { context, propagation } from '@opentelemetry/api';
import { HEADERS } from '@chat/contracts';

/** The active W3C trace context, if any, so the event published later continues the request's trace. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier[HEADERS.traceparent];
}
