import Joi from 'joi';
import { ConfigError, endpointsFromEnv, parseConfig, type Endpoints } from '@chat/runtime';
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

const schema = Joi.object({
  HOST: Joi.string().default('0.0.0.0'),
  PORT: Joi.number().port().default(3003),
  HTTP_BODY_LIMIT_BYTES: int(1024, 65_536, 8_192),
  IDENTITY_PAGE_ORIGINS: Joi.string().required(),
  IDENTITY_TRUST_PROXY: bool(false),
  AUTH_JWT_ISSUER: Joi.string().min(1).max(256).default('chat-platform'),
  AUTH_JWT_AUDIENCE: Joi.string().min(1).max(256).default('chat-platform'),
  IDENTITY_ACCESS_TOKEN_TTL_SECONDS: int(30, 3_600, 600),
  IDENTITY_SESSION_TTL_SECONDS: int(300, 31_536_000, 2_592_000),
  IDENTITY_COOKIE_SECURE: bool(true),
  IDENTITY_SIGNING_KEYS: Joi.string().optional(),
  IDENTITY_SIGNING_KEYS_FILE: Joi.string().optional(),
  IDENTITY_ACTIVE_KEY_ID: Joi.string().max(128).optional(),
  IDENTITY_SIGNIN_ATTEMPTS_PER_ADDRESS: int(1, 100_000, 30),
  IDENTITY_SIGNIN_FAILURES_PER_HANDLE: int(1, 1_000, 10),
  IDENTITY_SIGNIN_WINDOW_SECONDS: int(1, 86_400, 900),
  IDENTITY_RATE_LIMIT_PREFIX: Joi.string()
    .pattern(/^[A-Za-z0-9:._-]{1,64}$/)
    .default('identity:sign-in'),
  IDENTITY_OIDC_ISSUER: url.optional(),
  IDENTITY_OIDC_CLIENT_ID: Joi.string().max(256).optional(),
  IDENTITY_OIDC_CLIENT_SECRET: Joi.string().max(1024).optional(),
  IDENTITY_OIDC_REDIRECT_URL: url.optional(),
  IDENTITY_OIDC_SCOPES: Joi.string().default('openid profile'),
  IDENTITY_SSO_RETURN_URL: url.optional(),
  IDENTITY_COLLECTION_PREFIX: Joi.string()
    .pattern(/^[A-Za-z0-9_-]{1,64}$/)
    .default('identity'),
  DRAIN_TIMEOUT_MS: int(100, 600_000, 10_000),
  NODE_ENV: Joi.string().optional(),
})
  .and(
    'IDENTITY_OIDC_ISSUER',
    'IDENTITY_OIDC_CLIENT_ID',
    'IDENTITY_OIDC_CLIENT_SECRET',
    'IDENTITY_OIDC_REDIRECT_URL',
  )
  .oxor('IDENTITY_SIGNING_KEYS', 'IDENTITY_SIGNING_KEYS_FILE');

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
  const production = raw.NODE_ENV === 'production';
  if (production && raw.IDENTITY_COOKIE_SECURE === false)
    problems.push('IDENTITY_COOKIE_SECURE cannot be off when NODE_ENV is production');
  const pageOrigins = String(raw.IDENTITY_PAGE_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  if (raw.IDENTITY_PAGE_ORIGINS !== undefined && !pageOrigins.length)
    problems.push('IDENTITY_PAGE_ORIGINS needs at least one origin');
  if (problems.length || !endpoints) throw new ConfigError(problems);
  const value = <T>(key: string) => raw[key] as T;
  return {
    http: {
      host: value('HOST'),
      port: value('PORT'),
      bodyLimitBytes: value('HTTP_BODY_LIMIT_BYTES'),
      pageOrigins,
      trustProxy: value('IDENTITY_TRUST_PROXY'),
    },
    endpoints,
    issuer: value('AUTH_JWT_ISSUER'),
    audience: value('AUTH_JWT_AUDIENCE'),
    accessTokenTtlSeconds: value('IDENTITY_ACCESS_TOKEN_TTL_SECONDS'),
    sessionTtlSeconds: value('IDENTITY_SESSION_TTL_SECONDS'),
    cookieSecure: value('IDENTITY_COOKIE_SECURE'),
    keys: {
      ...(raw.IDENTITY_SIGNING_KEYS ? { inline: value<string>('IDENTITY_SIGNING_KEYS') } : {}),
      ...(raw.IDENTITY_SIGNING_KEYS_FILE ? { file: value<string>('IDENTITY_SIGNING_KEYS_FILE') } : {}),
      ...(raw.IDENTITY_ACTIVE_KEY_ID ? { activeKid: value<string>('IDENTITY_ACTIVE_KEY_ID') } : {}),
      generateIfMissing: !production,
    },
    throttle: {
      attemptsPerAddress: value('IDENTITY_SIGNIN_ATTEMPTS_PER_ADDRESS'),
      failuresPerHandle: value('IDENTITY_SIGNIN_FAILURES_PER_HANDLE'),
      windowSeconds: value('IDENTITY_SIGNIN_WINDOW_SECONDS'),
      keyPrefix: value('IDENTITY_RATE_LIMIT_PREFIX'),
    },
    sso: raw.IDENTITY_OIDC_ISSUER
      ? {
          issuer: value('IDENTITY_OIDC_ISSUER'),
          clientId: value('IDENTITY_OIDC_CLIENT_ID'),
          clientSecret: value('IDENTITY_OIDC_CLIENT_SECRET'),
          redirectUrl: value('IDENTITY_OIDC_REDIRECT_URL'),
          scopes: value('IDENTITY_OIDC_SCOPES'),
        }
      : undefined,
    ssoReturnUrl: value<string | undefined>('IDENTITY_SSO_RETURN_URL') ?? `${pageOrigins[0]}/`,
    allowInsecureIssuer: !production,
    collectionPrefix: value('IDENTITY_COLLECTION_PREFIX'),
    drainTimeoutMs: value('DRAIN_TIMEOUT_MS'),
  };
}
