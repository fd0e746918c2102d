export {
  AUTH_ENV_NAMES,
  authConfigFromEnv,
  DEV_JWT_SECRET,
  MIN_SECRET_LENGTH,
  type AuthConfig,
  type ExternalIssuerConfig,
} from './config.js';
export {
  createTokenService,
  bearerToken,
  IDENTITY_ALGORITHMS,
  type Principal,
  type TokenService,
} from './tokens.js';
export { AuthError, AUTH_ERROR_CODES, type AuthErrorCode } from './errors.js';
export { externalUserId } from './external-user-id.js';
export { SessionRevocations, type RevocationStore } from './revocation.js';
