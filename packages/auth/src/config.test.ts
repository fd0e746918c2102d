import { ConfigError } from '@chat/runtime';
import { describe, expect, it } from 'vitest';
import { DEV_JWT_SECRET, authConfigFromEnv } from './config.js';

const SECRET = 'x'.repeat(32);
const JWKS = 'http://identity:3003/.well-known/jwks.json';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    authConfigFromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('authConfigFromEnv', () => {
  it('requires a JWKS unless dev sign-in is on, and a dev secret of at least 32 characters', () => {
    expect(problemsOf({}).join()).toContain('AUTH_JWKS_URL');
    expect(problemsOf({ AUTH_JWT_SECRET: 'short', AUTH_DEV_SIGNIN: 'true' }).join()).toContain('at least 32');
  });

  it('applies defaults', () => {
    expect(authConfigFromEnv({ AUTH_JWT_SECRET: SECRET, AUTH_JWKS_URL: JWKS })).toEqual({
      secret: SECRET,
      jwksUrl: JWKS,
      issuer: 'chat-platform',
      audience: 'chat-platform',
      accessTokenTtlSeconds: 900,
      clockToleranceSeconds: 5,
      devSignIn: false,
    });
  });

  it('falls back to the dev secret only with dev sign-in on outside production', () => {
    expect(authConfigFromEnv({ AUTH_DEV_SIGNIN: 'true', NODE_ENV: 'development' }).secret).toBe(
      DEV_JWT_SECRET,
    );
    expect(authConfigFromEnv({ AUTH_JWKS_URL: JWKS }).devSignIn).toBe(false);
  });

  it('refuses dev sign-in and the dev secret in production', () => {
    expect(problemsOf({ AUTH_DEV_SIGNIN: '1', NODE_ENV: 'production' }).join()).toContain('AUTH_DEV_SIGNIN');
    expect(problemsOf({ AUTH_JWT_SECRET: DEV_JWT_SECRET, NODE_ENV: 'production' }).join()).toContain(
      'development secret',
    );
  });

  it('bounds the token lifetime', () => {
    expect(problemsOf({ AUTH_JWKS_URL: JWKS, AUTH_ACCESS_TOKEN_TTL_SECONDS: '5' }).join()).toContain(
      'AUTH_ACCESS_TOKEN_TTL_SECONDS',
    );
  });

  it('takes an external provider only with its issuer, key set and audience together', () => {
    const external = {
      AUTH_OIDC_ISSUER: 'https://sso.example.com',
      AUTH_OIDC_JWKS_URL: 'https://sso.example.com/jwks',
      AUTH_OIDC_AUDIENCE: 'chat',
    };
    expect(authConfigFromEnv(external).externalIssuer).toEqual({
      issuer: 'https://sso.example.com',
      jwksUrl: 'https://sso.example.com/jwks',
      audience: 'chat',
    });
    expect(problemsOf({ AUTH_JWKS_URL: JWKS, AUTH_OIDC_ISSUER: 'https://sso.example.com' }).join()).toContain(
      'AUTH_OIDC',
    );
  });
});
