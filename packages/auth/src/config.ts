import Joi from 'joi';
import { ConfigError, parseConfig } from '@chat/runtime';

/**
 * Known to everyone who reads this file, so it only signs tokens on a
 * developer's machine: it is refused unless dev sign-in is on and NODE_ENV
 * is not production.
 */
export const DEV_JWT_SECRET = 'chat-platform-local-development-secret-not-for-production';

export const MIN_SECRET_LENGTH = 32;

export interface AuthConfig {
  /** HMAC key for HS256. From `AUTH_JWT_SECRET`; at least 32 characters. */
  secret: string;
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
  NODE_ENV?: string;
}

const schema = Joi.object<RawAuthConfig>({
  AUTH_JWT_SECRET: Joi.string().min(MIN_SECRET_LENGTH).optional(),
  AUTH_JWT_ISSUER: Joi.string().min(1).max(256).default('chat-platform'),
  AUTH_JWT_AUDIENCE: Joi.string().min(1).max(256).default('chat-platform'),
  AUTH_ACCESS_TOKEN_TTL_SECONDS: Joi.number().integer().min(30).max(86_400).default(900),
  AUTH_CLOCK_TOLERANCE_SECONDS: Joi.number().integer().min(0).max(300).default(5),
  AUTH_DEV_SIGNIN: Joi.boolean().truthy('1').falsy('0').default(false),
  NODE_ENV: Joi.string().optional(),
});

/** The variables `authConfigFromEnv` reads. */
export const AUTH_ENV_NAMES: readonly string[] = Object.keys(schema.describe().keys ?? {});

/** Reads the auth settings once at start-up; throws `ConfigError` listing every problem. */
export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const raw = parseConfig(schema, {
    ...env,
    AUTH_JWT_SECRET: env.AUTH_JWT_SECRET || undefined,
  });
  const production = raw.NODE_ENV === 'production';
  const problems: string[] = [];
  if (raw.AUTH_DEV_SIGNIN && production)
    problems.push('AUTH_DEV_SIGNIN cannot be enabled when NODE_ENV is production');
  if (raw.AUTH_JWT_SECRET === DEV_JWT_SECRET && production) {
    problems.push('AUTH_JWT_SECRET is the published development secret; set a real one in production');
  }
  if (!raw.AUTH_JWT_SECRET && !(raw.AUTH_DEV_SIGNIN && !production)) {
    problems.push(`"AUTH_JWT_SECRET" is required (at least ${MIN_SECRET_LENGTH} characters)`);
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    secret: raw.AUTH_JWT_SECRET ?? DEV_JWT_SECRET,
    issuer: raw.AUTH_JWT_ISSUER,
    audience: raw.AUTH_JWT_AUDIENCE,
    accessTokenTtlSeconds: raw.AUTH_ACCESS_TOKEN_TTL_SECONDS,
    clockToleranceSeconds: raw.AUTH_CLOCK_TOLERANCE_SECONDS,
    devSignIn: raw.AUTH_DEV_SIGNIN,
  };
}
