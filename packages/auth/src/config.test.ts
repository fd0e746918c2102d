import { ConfigError } from '@chat/runtime';
import { describe, expect, it } from 'vitest';
import { DEV_JWT_SECRET, authConfigFromEnv } from './config.js';

const SECRET = 'x'.repeat(32);

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
  it('requires a secret of at least 32 characters', () => {
    expect(problemsOf({}).join()).toContain('AUTH_JWT_SECRET');
    expect(problemsOf({ AUTH_JWT_SECRET: 'short' }).join()).toContain('at least 32');
  });

  it('applies defaults', () => {
    expect(authConfigFromEnv({ AUTH_JWT_SECRET: SECRET })).toEqual({
      secret: SECRET,
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
    expect(problemsOf({ AUTH_DEV_SIGNIN: 'false' }).join()).toContain('AUTH_JWT_SECRET');
  });

  it('refuses dev sign-in and the dev secret in production', () => {
    expect(problemsOf({ AUTH_DEV_SIGNIN: '1', NODE_ENV: 'production' }).join()).toContain('AUTH_DEV_SIGNIN');
    expect(problemsOf({ AUTH_JWT_SECRET: DEV_JWT_SECRET, NODE_ENV: 'production' }).join()).toContain(
      'development secret',
    );
  });

  it('bounds the token lifetime', () => {
    expect(problemsOf({ AUTH_JWT_SECRET: SECRET, AUTH_ACCESS_TOKEN_TTL_SECONDS: '5' }).join()).toContain(
      'AUTH_ACCESS_TOKEN_TTL_SECONDS',
    );
  });
});
