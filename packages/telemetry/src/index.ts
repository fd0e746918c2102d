export { startTelemetry, type Telemetry, type TelemetryOptions } from './sdk/start-telemetry.js';
export { TRACING_ENV_NAMES, tracingConfigFromEnv, type TracingConfig } from './config/tracing-config.js';
export { eventAttributes } from './kafka/event-attributes.js';
export * from './attributes.js';
