export { LOCAL_ENDPOINTS, endpointsFromEnv, type Endpoints } from './endpoints.js';
export { parseConfig, ConfigError } from './config.js';
