export {
  AUTH_ENV_NAMES,
  authConfigFromEnv,
  DEV_JWT_SECRET,
  MIN_SECRET_LENGTH,
  type AuthConfig,
} from './config.js';
export { createTokenService, bearerToken, type Principal, type TokenService } from './tokens.js';
export { AuthError, AUTH_ERROR_CODES, type AuthErrorCode } from './errors.js';
