import { parseConfig } from '@chat/runtime';
import Joi from 'joi';

export interface TracingConfig {
  /** `OTEL_SERVICE_NAME`, else the service's own name. */
  serviceName: string;
  /**
   * Whether spans are recorded and exported. Off unless the environment
   * names an exporter or an endpoint (or says `OTEL_SDK_DISABLED=false`), so
   * a local run never tries to reach a collector that is not there.
   */
  exporting: boolean;
  /** `OTEL_SDK_DISABLED=true`: no SDK at all, not even the context that carries correlation ids into logs. */
  disabled: boolean;
}

/**
 * Only the variables that decide whether tracing is on; the SDK itself
 * reads the rest of the standard OTEL_* set (protocol, headers, sampler,
 * resource attributes) as the specification says.
 */
const schema = Joi.object({
  OTEL_SDK_DISABLED: Joi.string().lowercase().valid('true', 'false'),
  OTEL_SERVICE_NAME: Joi.string().trim().min(1),
  OTEL_TRACES_EXPORTER: Joi.string()
    .lowercase()
    .pattern(/^(otlp|console|zipkin|none)(,(otlp|console|zipkin|none))*$/)
    .message('"OTEL_TRACES_EXPORTER" must list otlp, console, zipkin or none'),
  OTEL_EXPORTER_OTLP_ENDPOINT: Joi.string().uri({ scheme: ['http', 'https'] }),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: Joi.string().uri({ scheme: ['http', 'https'] }),
});

/** The variables `tracingConfigFromEnv` reads. */
export const TRACING_ENV_NAMES: readonly string[] = Object.keys(schema.describe().keys ?? {});

interface RawTracingEnv {
  OTEL_SDK_DISABLED?: 'true' | 'false';
  OTEL_SERVICE_NAME?: string;
  OTEL_TRACES_EXPORTER?: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
}

/** Parsed once at start-up; throws ConfigError listing every problem. */
export function tracingConfigFromEnv(
  defaultServiceName: string,
  env: NodeJS.ProcessEnv = process.env,
): TracingConfig {
  const raw = parseConfig<RawTracingEnv>(schema, env as Record<string, unknown>);
  const disabled = raw.OTEL_SDK_DISABLED === 'true';
  const exporterNamed = raw.OTEL_TRACES_EXPORTER !== undefined && raw.OTEL_TRACES_EXPORTER !== 'none';
  const endpointNamed =
    raw.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || raw.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined;
  const exportersOff = raw.OTEL_TRACES_EXPORTER === 'none';
  return {
    serviceName: raw.OTEL_SERVICE_NAME ?? defaultServiceName,
    disabled,
    exporting:
      !disabled && !exportersOff && (exporterNamed || endpointNamed || raw.OTEL_SDK_DISABLED === 'false'),
  };
}
