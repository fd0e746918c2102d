import type { Logger } from '@chat/runtime';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAMESPACE } from '../attributes.js';
import { tracingConfigFromEnv } from '../config/tracing-config.js';
import { SynchronousContextManager } from '../context/synchronous-context-manager.js';
import { diagToLogger } from './diag-to-logger.js';

export interface TelemetryOptions {
  /** `service.name` unless `OTEL_SERVICE_NAME` says otherwise. */
  serviceName: string;
  /** Receives the SDK's warnings and errors (export failures). @defaultValue none */
  logger?: Logger;
  /**
   * Where spans go, replacing the exporter the environment names; tests
   * pass an in-memory exporter here. @defaultValue from the OTEL_* environment
   */
  spanProcessors?: SpanProcessor[];
  /**
   * How the active context travels. `async` (AsyncLocalStorage) follows it
   * across awaits, so spans and log lines made after one still join the
   * operation; `synchronous` follows it through synchronous calls only, at
   * no cost per promise, for a process that passes contexts across awaits
   * itself (the chat gateway's hot path). @defaultValue 'async'
   */
  contextPropagation?: 'async' | 'synchronous';
}

export interface Telemetry {
  readonly serviceName: string;
  /** Whether spans are recorded and sent somewhere. */
  readonly exporting: boolean;
  /** Flushes spans not yet exported and stops the SDK; call last, after the service stopped. */
  shutdown(): Promise<void>;
}

const SERVICE_NAMESPACE = 'chat-platform';

/**
 * Starts OpenTelemetry for this process; call it before anything else. The
 * context manager (see `contextPropagation`) and W3C propagation are always
 * on (they carry correlation ids into log lines); a tracer provider exists
 * only while exporting, so a local run records nothing and sends nothing.
 * Metrics stay with prom-client and logs with pino: the SDK is set up for
 * traces only.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  const config = tracingConfigFromEnv(options.serviceName);
  if (options.logger) diag.setLogger(diagToLogger(options.logger), DiagLogLevel.WARN);
  const recording = options.spanProcessors !== undefined || config.exporting;
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAMESPACE]: SERVICE_NAMESPACE }),
    // No processors, no tracer provider: spans stay non-recording and cost next to nothing.
    spanProcessors: options.spanProcessors ?? (config.exporting ? undefined : []),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
    // undefined: the SDK's own AsyncLocalStorage context manager.
    contextManager:
      options.contextPropagation === 'synchronous' ? new SynchronousContextManager() : undefined,
  });
  if (!config.disabled) sdk.start();
  return {
    serviceName: config.serviceName,
    exporting: recording && !config.disabled,
    shutdown: () => sdk.shutdown(),
  };
}
