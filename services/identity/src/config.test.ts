import { describe, expect, it } from 'vitest';
import { ConfigError } from '@chat/runtime';
import { identityConfigFromEnv } from './config.js';

const base = { IDENTITY_PAGE_ORIGINS: 'https://chat.example.com' };

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    identityConfigFromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.join('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('identityConfigFromEnv', () => {
  it('fills the documented defaults', () => {
    const config = identityConfigFromEnv(base);
    expect(config.http).toEqual({
      host: '0.0.0.0',
      port: 3003,
      bodyLimitBytes: 8_192,
      pageOrigins: ['https://chat.example.com'],
      trustProxy: false,
    });
    expect(config).toMatchObject({
      issuer: 'chat-platform',
      audience: 'chat-platform',
      accessTokenTtlSeconds: 600,
      sessionTtlSeconds: 2_592_000,
      cookieSecure: true,
      sso: undefined,
      ssoReturnUrl: 'https://chat.example.com/',
      keys: { generateIfMissing: true },
      throttle: { attemptsPerAddress: 30, failuresPerHandle: 10, windowSeconds: 900 },
    });
  });

  it('needs the page origins, and in production keys and a Secure cookie', () => {
    expect(problemsOf({})).toContain('IDENTITY_PAGE_ORIGINS');
    expect(problemsOf({ ...base, NODE_ENV: 'production', IDENTITY_COOKIE_SECURE: 'false' })).toContain(
      'IDENTITY_COOKIE_SECURE',
    );
    expect(identityConfigFromEnv({ ...base, NODE_ENV: 'production' }).keys.generateIfMissing).toBe(false);
  });

  it('takes single sign-on only with issuer, client id, secret and redirect together', () => {
    const sso = {
      IDENTITY_OIDC_ISSUER: 'https://sso.example.com',
      IDENTITY_OIDC_CLIENT_ID: 'chat',
      IDENTITY_OIDC_CLIENT_SECRET: 'secret',
      IDENTITY_OIDC_REDIRECT_URL: 'https://chat.example.com/v1/auth/sso/callback',
    };
    expect(identityConfigFromEnv({ ...base, ...sso }).sso).toMatchObject({
      issuer: 'https://sso.example.com',
      scopes: 'openid profile',
    });
    expect(problemsOf({ ...base, IDENTITY_OIDC_ISSUER: 'https://sso.example.com' })).toContain(
      'IDENTITY_OIDC',
    );
  });

  it('refuses keys given both inline and as a file', () => {
    expect(
      problemsOf({ ...base, IDENTITY_SIGNING_KEYS: '{}', IDENTITY_SIGNING_KEYS_FILE: '/keys.json' }),
    ).toContain('IDENTITY_SIGNING_KEYS');
  });
});
