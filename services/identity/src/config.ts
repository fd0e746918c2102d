import Joi from 'joi';
import { ConfigError, endpointsFromEnv, parseConfig, type Endpoints } from '@chat/runtime';
import { IDENTITY_ENV } from '@chat/service-env';
import type { ThrottleSettings } from './accounts/sign-in-throttle.js';
import type { KeySource } from './keys/signing-keys.js';

/** An external OpenID Connect provider people may sign in with (authorization code flow with PKCE). */
export interface SsoConfig {
  /** IDENTITY_OIDC_ISSUER: discovery happens at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  /** IDENTITY_OIDC_CLIENT_ID */
  clientId: string;
  /** IDENTITY_OIDC_CLIENT_SECRET */
  clientSecret: string;
  /** IDENTITY_OIDC_REDIRECT_URL: this service's `/v1/auth/sso/callback` as the provider reaches the browser back. */
  redirectUrl: string;
  /** IDENTITY_OIDC_SCOPES @defaultValue 'openid profile' */
  scopes: string;
}

export interface IdentityConfig {
  http: {
    host: string;
    port: number;
    bodyLimitBytes: number;
    /** Page origins allowed to call the API with credentials, and the only ones the cookie endpoints accept (IDENTITY_PAGE_ORIGINS). */
    pageOrigins: string[];
    /** Take the client address from X-Forwarded-For (IDENTITY_TRUST_PROXY), behind an ingress. @defaultValue false */
    trustProxy: boolean;
  };
  endpoints: Endpoints;
  /** `iss` and `aud` of minted tokens: what the verifiers expect (AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE). */
  issuer: string;
  audience: string;
  /** IDENTITY_ACCESS_TOKEN_TTL_SECONDS @defaultValue 600 */
  accessTokenTtlSeconds: number;
  /** Absolute lifetime of a sign-in session and its refresh tokens (IDENTITY_SESSION_TTL_SECONDS). @defaultValue 2592000 (30 days) */
  sessionTtlSeconds: number;
  /** Whether the refresh cookie is `Secure` (IDENTITY_COOKIE_SECURE); only a development server on plain http turns it off. @defaultValue true */
  cookieSecure: boolean;
  keys: KeySource;
  throttle: ThrottleSettings;
  sso: SsoConfig | undefined;
  /** Where the browser goes after a single sign-on (IDENTITY_SSO_RETURN_URL). @defaultValue the first page origin */
  ssoReturnUrl: string;
  /** A plain-http OpenID issuer is accepted only outside production. */
  allowInsecureIssuer: boolean;
  /** Collection name prefix (IDENTITY_COLLECTION_PREFIX). @defaultValue 'identity' */
  collectionPrefix: string;
  drainTimeoutMs: number;
}

const bool = (fallback: boolean) => Joi.boolean().truthy('1').falsy('0').default(fallback);
const int = (min: number, max: number, fallback: number) =>
  Joi.number().integer().min(min).max(max).default(fallback);
const url = Joi.string().uri({ scheme: ['http', 'https'] });

const E = IDENTITY_ENV;
const schema = Joi.object({
  [E.host.name]: Joi.string().default(E.host.default),
  [E.port.name]: Joi.number().port().default(E.port.default),
  [E.bodyLimitBytes.name]: int(1024, 65_536, E.bodyLimitBytes.default),
  [E.pageOrigins.name]: Joi.string().required(),
  [E.trustProxy.name]: bool(E.trustProxy.default),
  [E.jwtIssuer.name]: Joi.string().min(1).max(256).default(E.jwtIssuer.default),
  [E.jwtAudience.name]: Joi.string().min(1).max(256).default(E.jwtAudience.default),
  [E.accessTokenTtlSeconds.name]: int(30, 3_600, E.accessTokenTtlSeconds.default),
  [E.sessionTtlSeconds.name]: int(300, 31_536_000, E.sessionTtlSeconds.default),
  [E.cookieSecure.name]: bool(E.cookieSecure.default),
  [E.signingKeys.name]: Joi.string().optional(),
  [E.signingKeysFile.name]: Joi.string().optional(),
  [E.activeKeyId.name]: Joi.string().max(128).optional(),
  [E.signInAttemptsPerAddress.name]: int(1, 100_000, E.signInAttemptsPerAddress.default),
  [E.signInFailuresPerHandle.name]: int(1, 1_000, E.signInFailuresPerHandle.default),
  [E.signInWindowSeconds.name]: int(1, 86_400, E.signInWindowSeconds.default),
  [E.rateLimitPrefix.name]: Joi.string()
    .pattern(/^[A-Za-z0-9:._-]{1,64}$/)
    .default(E.rateLimitPrefix.default),
  [E.oidcIssuer.name]: url.optional(),
  [E.oidcClientId.name]: Joi.string().max(256).optional(),
  [E.oidcClientSecret.name]: Joi.string().max(1024).optional(),
  [E.oidcRedirectUrl.name]: url.optional(),
  [E.oidcScopes.name]: Joi.string().default(E.oidcScopes.default),
  [E.ssoReturnUrl.name]: url.optional(),
  [E.collectionPrefix.name]: Joi.string()
    .pattern(/^[A-Za-z0-9_-]{1,64}$/)
    .default(E.collectionPrefix.default),
  [E.drainTimeoutMs.name]: int(100, 600_000, E.drainTimeoutMs.default),
  [E.nodeEnv.name]: Joi.string().optional(),
})
  .and(E.oidcIssuer.name, E.oidcClientId.name, E.oidcClientSecret.name, E.oidcRedirectUrl.name)
  .oxor(E.signingKeys.name, E.signingKeysFile.name);

/** Parsed once at start-up; throws `ConfigError` listing every problem. */
export function identityConfigFromEnv(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const problems: string[] = [];
  let endpoints: Endpoints | undefined;
  try {
    endpoints = endpointsFromEnv(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  let raw: Record<string, unknown> = {};
  try {
    raw = parseConfig(schema, cleaned);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const production = raw[E.nodeEnv.name] === 'production';
  if (production && raw[E.cookieSecure.name] === false)
    problems.push('IDENTITY_COOKIE_SECURE cannot be off when NODE_ENV is production');
  const pageOrigins = String(raw[E.pageOrigins.name] ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  if (raw[E.pageOrigins.name] !== undefined && !pageOrigins.length)
    problems.push('IDENTITY_PAGE_ORIGINS needs at least one origin');
  if (problems.length || !endpoints) throw new ConfigError(problems);
  const value = <T>(key: string) => raw[key] as T;
  return {
    http: {
      host: value(E.host.name),
      port: value(E.port.name),
      bodyLimitBytes: value(E.bodyLimitBytes.name),
      pageOrigins,
      trustProxy: value(E.trustProxy.name),
    },
    endpoints,
    issuer: value(E.jwtIssuer.name),
    audience: value(E.jwtAudience.name),
    accessTokenTtlSeconds: value(E.accessTokenTtlSeconds.name),
    sessionTtlSeconds: value(E.sessionTtlSeconds.name),
    cookieSecure: value(E.cookieSecure.name),
    keys: {
      ...(raw[E.signingKeys.name] ? { inline: value<string>(E.signingKeys.name) } : {}),
      ...(raw[E.signingKeysFile.name] ? { file: value<string>(E.signingKeysFile.name) } : {}),
      ...(raw[E.activeKeyId.name] ? { activeKid: value<string>(E.activeKeyId.name) } : {}),
      generateIfMissing: !production,
    },
    throttle: {
      attemptsPerAddress: value(E.signInAttemptsPerAddress.name),
      failuresPerHandle: value(E.signInFailuresPerHandle.name),
      windowSeconds: value(E.signInWindowSeconds.name),
      keyPrefix: value(E.rateLimitPrefix.name),
    },
    sso: raw[E.oidcIssuer.name]
      ? {
          issuer: value(E.oidcIssuer.name),
          clientId: value(E.oidcClientId.name),
          clientSecret: value(E.oidcClientSecret.name),
          redirectUrl: value(E.oidcRedirectUrl.name),
          scopes: value(E.oidcScopes.name),
        }
      : undefined,
    ssoReturnUrl: value<string | undefined>(E.ssoReturnUrl.name) ?? `${pageOrigins[0]}/`,
    allowInsecureIssuer: !production,
    collectionPrefix: value(E.collectionPrefix.name),
    drainTimeoutMs: value(E.drainTimeoutMs.name),
  };
}
