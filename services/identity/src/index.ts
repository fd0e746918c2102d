export { createIdentityService, type IdentityService } from './service.js';
export { identityConfigFromEnv, type IdentityConfig, type SsoConfig } from './config.js';
export type { PublicUser } from './accounts/accounts.js';
export { IDENTITY_ERRORS, type IdentityErrorCode } from './errors.js';
export { CSRF_HEADER, REFRESH_COOKIE } from './http/cookies.js';
