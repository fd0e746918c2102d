import { type Context, context as contextApi, isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type Logger } from 'pino';
import { correlationIdOf } from './correlation.js';

export type { Logger } from 'pino';

/**
 * Structured JSON logs. Every line carries the service name and, inside a
 * traced operation, the trace and span ids and the correlation id the
 * context carries (`withCorrelationId`, `logIdsOf`); callers may also add
 * `correlationId` with `logger.child({ correlationId })`.
 */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['token', '*.token', 'authorization', '*.authorization', 'password', '*.password'],
      censor: '[redacted]',
    },
    mixin: () => logIdsOf(contextApi.active()),
  });
}

/**
 * The trace, span and correlation ids `context` carries, as log fields: what
 * every line made inside it names. A line made after an await in a process
 * whose context follows synchronous calls only passes them itself.
 */
export function logIdsOf(context: Context): { traceId?: string; spanId?: string; correlationId?: string } {
  const span = trace.getSpanContext(context);
  const correlationId = correlationIdOf(context);
  return {
    // A span of a process whose tracing is off has no ids worth printing.
    ...(span && isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {}),
    ...(correlationId ? { correlationId } : {}),
  };
}
