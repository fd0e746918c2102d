import type { EnvTable } from './table.js';

/** The identity service's variables (services/identity/src/config.ts; docs/configuration.md). */
export const IDENTITY_ENV = {
  host: { name: 'HOST', default: '0.0.0.0', role: 'host' },
  port: { name: 'PORT', default: 3003, role: 'port' },
  bodyLimitBytes: { name: 'HTTP_BODY_LIMIT_BYTES', default: 8_192 },
  /** Required; the refresh cookie is only accepted from these origins (the chat page's). */
  pageOrigins: { name: 'IDENTITY_PAGE_ORIGINS', originsOf: 'chat' },
  trustProxy: { name: 'IDENTITY_TRUST_PROXY', default: false },
  jwtIssuer: { name: 'AUTH_JWT_ISSUER', default: 'chat-platform' },
  jwtAudience: { name: 'AUTH_JWT_AUDIENCE', default: 'chat-platform' },
  accessTokenTtlSeconds: { name: 'IDENTITY_ACCESS_TOKEN_TTL_SECONDS', default: 600 },
  sessionTtlSeconds: { name: 'IDENTITY_SESSION_TTL_SECONDS', default: 2_592_000 },
  cookieSecure: { name: 'IDENTITY_COOKIE_SECURE', default: true },
  signingKeys: { name: 'IDENTITY_SIGNING_KEYS' },
  signingKeysFile: { name: 'IDENTITY_SIGNING_KEYS_FILE' },
  activeKeyId: { name: 'IDENTITY_ACTIVE_KEY_ID' },
  signInAttemptsPerAddress: { name: 'IDENTITY_SIGNIN_ATTEMPTS_PER_ADDRESS', default: 30 },
  signInFailuresPerHandle: { name: 'IDENTITY_SIGNIN_FAILURES_PER_HANDLE', default: 10 },
  signInWindowSeconds: { name: 'IDENTITY_SIGNIN_WINDOW_SECONDS', default: 900 },
  rateLimitPrefix: { name: 'IDENTITY_RATE_LIMIT_PREFIX', default: 'identity:sign-in', namespaced: 'key' },
  oidcIssuer: { name: 'IDENTITY_OIDC_ISSUER' },
  oidcClientId: { name: 'IDENTITY_OIDC_CLIENT_ID' },
  oidcClientSecret: { name: 'IDENTITY_OIDC_CLIENT_SECRET' },
  oidcRedirectUrl: { name: 'IDENTITY_OIDC_REDIRECT_URL' },
  oidcScopes: { name: 'IDENTITY_OIDC_SCOPES', default: 'openid profile' },
  /** Default: the first page origin. */
  ssoReturnUrl: { name: 'IDENTITY_SSO_RETURN_URL' },
  collectionPrefix: { name: 'IDENTITY_COLLECTION_PREFIX', default: 'identity' },
  drainTimeoutMs: { name: 'DRAIN_TIMEOUT_MS', default: 10_000 },
  /** `production` refuses insecure cookies and generated keys. */
  nodeEnv: { name: 'NODE_ENV' },
} as const satisfies EnvTable;
