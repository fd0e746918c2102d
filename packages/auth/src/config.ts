import Joi from 'joi';
import { ConfigError, parseConfig } from '@chat/runtime';

/**
 * Known to everyone who reads this file, so it only signs tokens on a
 * developer's machine: it is refused unless dev sign-in is on and NODE_ENV
 * is not production.
 */
export const DEV_JWT_SECRET = 'chat-platform-local-development-secret-not-for-production';

export const MIN_SECRET_LENGTH = 32;

/** An external OpenID Connect provider whose access tokens are accepted as they are. */
export interface ExternalIssuerConfig {
  /** Its `iss` (AUTH_OIDC_ISSUER). */
  issuer: string;
  /** Where its public keys are (AUTH_OIDC_JWKS_URL). */
  jwksUrl: string;
  /** The `aud` its tokens must name (AUTH_OIDC_AUDIENCE). */
  audience: string;
}

export interface AuthConfig {
  /** HMAC key for HS256 dev tokens (AUTH_JWT_SECRET, at least 32 characters); only used while dev sign-in is on. */
  secret: string;
  /** The identity service's JWKS (AUTH_JWKS_URL): ES256/EdDSA tokens of `issuer` verify against it. @defaultValue none (dev sign-in only) */
  jwksUrl?: string;
  /** Access tokens of an external OIDC provider accepted directly. @defaultValue none */
  externalIssuer?: ExternalIssuerConfig;
  /** `iss` minted and required. @defaultValue 'chat-platform' */
  issuer: string;
  /** `aud` minted and required. @defaultValue 'chat-platform' */
  audience: string;
  /** Lifetime of minted access tokens. @defaultValue 900 (15 minutes) */
  accessTokenTtlSeconds: number;
  /** Clock skew accepted on `exp`/`iat`/`nbf`. @defaultValue 5 */
  clockToleranceSeconds: number;
  /** Lets `mintDevToken` sign anyone in without a password: local development and tests only. @defaultValue false */
  devSignIn: boolean;
}

interface RawAuthConfig {
  AUTH_JWT_SECRET?: string;
  AUTH_JWT_ISSUER: string;
  AUTH_JWT_AUDIENCE: string;
  AUTH_ACCESS_TOKEN_TTL_SECONDS: number;
  AUTH_CLOCK_TOLERANCE_SECONDS: number;
  AUTH_DEV_SIGNIN: boolean;
  AUTH_JWKS_URL?: string;
  AUTH_OIDC_ISSUER?: string;
  AUTH_OIDC_JWKS_URL?: string;
  AUTH_OIDC_AUDIENCE?: string;
  NODE_ENV?: string;
}

const httpUrl = Joi.string().uri({ scheme: ['http', 'https'] });

const schema = Joi.object<RawAuthConfig>({
  AUTH_JWT_SECRET: Joi.string().min(MIN_SECRET_LENGTH).optional(),
  AUTH_JWT_ISSUER: Joi.string().min(1).max(256).default('chat-platform'),
  AUTH_JWT_AUDIENCE: Joi.string().min(1).max(256).default('chat-platform'),
  AUTH_ACCESS_TOKEN_TTL_SECONDS: Joi.number().integer().min(30).max(86_400).default(900),
  AUTH_CLOCK_TOLERANCE_SECONDS: Joi.number().integer().min(0).max(300).default(5),
  AUTH_DEV_SIGNIN: Joi.boolean().truthy('1').falsy('0').default(false),
  AUTH_JWKS_URL: httpUrl.optional(),
  AUTH_OIDC_ISSUER: httpUrl.optional(),
  AUTH_OIDC_JWKS_URL: httpUrl.optional(),
  AUTH_OIDC_AUDIENCE: Joi.string().min(1).max(256).optional(),
  NODE_ENV: Joi.string().optional(),
}).and('AUTH_OIDC_ISSUER', 'AUTH_OIDC_JWKS_URL', 'AUTH_OIDC_AUDIENCE');

const OPTIONAL_KEYS = [
  'AUTH_JWT_SECRET',
  'AUTH_JWKS_URL',
  'AUTH_OIDC_ISSUER',
  'AUTH_OIDC_JWKS_URL',
  'AUTH_OIDC_AUDIENCE',
] as const;

/** The variables `authConfigFromEnv` reads. */
export const AUTH_ENV_NAMES: readonly string[] = Object.keys(schema.describe().keys ?? {});

/** Reads the auth settings once at start-up; throws `ConfigError` listing every problem. */
export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const raw = parseConfig(schema, {
    ...env,
    ...Object.fromEntries(OPTIONAL_KEYS.map((key) => [key, env[key] || undefined])),
  });
  const production = raw.NODE_ENV === 'production';
  const problems: string[] = [];
  if (raw.AUTH_DEV_SIGNIN && production)
    problems.push('AUTH_DEV_SIGNIN cannot be enabled when NODE_ENV is production');
  if (raw.AUTH_JWT_SECRET === DEV_JWT_SECRET && production) {
    problems.push('AUTH_JWT_SECRET is the published development secret; set a real one in production');
  }
  if (!raw.AUTH_JWKS_URL && !raw.AUTH_OIDC_ISSUER && !raw.AUTH_DEV_SIGNIN) {
    problems.push('"AUTH_JWKS_URL" is required (the identity service\'s JWKS) unless AUTH_DEV_SIGNIN is on');
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    secret: raw.AUTH_JWT_SECRET ?? DEV_JWT_SECRET,
    issuer: raw.AUTH_JWT_ISSUER,
    audience: raw.AUTH_JWT_AUDIENCE,
    accessTokenTtlSeconds: raw.AUTH_ACCESS_TOKEN_TTL_SECONDS,
    clockToleranceSeconds: raw.AUTH_CLOCK_TOLERANCE_SECONDS,
    devSignIn: raw.AUTH_DEV_SIGNIN,
    ...(raw.AUTH_JWKS_URL ? { jwksUrl: raw.AUTH_JWKS_URL } : {}),
    ...(raw.AUTH_OIDC_ISSUER
      ? {
          externalIssuer: {
            issuer: raw.AUTH_OIDC_ISSUER,
            jwksUrl: raw.AUTH_OIDC_JWKS_URL!,
            audience: raw.AUTH_OIDC_AUDIENCE!,
          },
        }
      : {}),
  };
}
