import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type Logger } from 'pino';
import { correlationIdOf } from './correlation.js';

export type { Logger } from 'pino';

/**
 * Structured JSON logs. Every line carries the service name and, inside a
 * traced operation, the trace and span ids and the correlation id the
 * context carries (`withCorrelationId`); callers may also add
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
    mixin() {
      const span = trace.getActiveSpan()?.spanContext();
      const correlationId = correlationIdOf();
      return {
        // A span of a process whose tracing is off has no ids worth printing.
        ...(span && isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {}),
        ...(correlationId ? { correlationId } : {}),
      };
    },
  });
}
