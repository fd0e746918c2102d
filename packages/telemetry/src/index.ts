export { startTelemetry, type Telemetry, type TelemetryOptions } from './sdk/start-telemetry.js';
export { tracingConfigFromEnv, type TracingConfig } from './config/tracing-config.js';
export { startRecordSpan, eventAttributes } from './kafka/record-span.js';
export * from './attributes.js';
