import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { type Telemetry, type TelemetryOptions, startTelemetry } from '../sdk/start-telemetry.js';

/**
 * Starts the same SDK a service starts, with every finished span kept in
 * memory for the test to read. One per process: the global tracer provider
 * can be registered once.
 */
export function startInMemoryTelemetry(
  serviceName: string,
  options: Pick<TelemetryOptions, 'contextPropagation'> = {},
): {
  telemetry: Telemetry;
  exporter: InMemorySpanExporter;
} {
  const exporter = new InMemorySpanExporter();
  const telemetry = startTelemetry({
    serviceName,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    ...options,
  });
  return { telemetry, exporter };
}
