export {
  ENDPOINT_ENV_NAMES,
  LOCAL_ENDPOINTS,
  endpointsEnv,
  endpointsFromEnv,
  type Endpoints,
} from './endpoints.js';
export {
  KAFKA_SECURITY_ENV_NAMES,
  kafkaSecurityFromEnv,
  type KafkaSasl,
  type KafkaSaslMechanism,
  type KafkaSecurity,
} from './kafka-security.js';
export { parseConfig, ConfigError } from './config.js';
export { createLogger, logIdsOf, type Logger } from './logger.js';
export { CORRELATION_ID_KEY, correlationIdOf, withCorrelationId } from './correlation.js';
export { onShutdown, type Lifecycle } from './lifecycle.js';
export { collectHealth, type HealthCheck, type HealthProbe, type HealthReport } from './ops/health.js';
export { opsRoutes, OPS_PATHS, type OpsState } from './ops/ops-routes.js';
export { collectProcessMetrics } from './ops/default-metrics.js';
export {
  MONGO_DUPLICATE_KEY,
  isDuplicateKey,
  isTransientMongoCode,
  isTransientMongoError,
} from './mongo-errors.js';
