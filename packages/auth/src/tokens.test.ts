import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { AuthConfig } from './config.js';
import { AuthError } from './errors.js';
import { bearerToken, createTokenService } from './tokens.js';

const config: AuthConfig = {
  secret: 's'.repeat(40),
  issuer: 'chat-platform',
  audience: 'chat-platform',
  accessTokenTtlSeconds: 60,
  clockToleranceSeconds: 0,
  devSignIn: true,
};
const tokens = createTokenService(config);
const alice = { userId: 'alice', name: 'Alice' };

async function sign(
  claims: Record<string, unknown>,
  options: { secret?: string; issuer?: string; audience?: string; expiresAt?: number; subject?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.subject ?? 'alice')
    .setIssuer(options.issuer ?? config.issuer)
    .setAudience(options.audience ?? config.audience)
    .setIssuedAt(now - 120)
    .setExpirationTime(options.expiresAt ?? now + 60)
    .sign(new TextEncoder().encode(options.secret ?? config.secret));
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AuthError);
  return (error as AuthError).code;
}

describe('access tokens', () => {
  it('round-trips a dev token to its principal', async () => {
    const token = await tokens.mintDevToken(alice);
    await expect(tokens.verifyAccessToken(token)).resolves.toEqual(alice);
  });

  it('says AUTH_MISSING without a token', async () => {
    expect(await codeOf(tokens.verifyAccessToken(undefined))).toBe('AUTH_MISSING');
    expect(await codeOf(tokens.verifyAccessToken(''))).toBe('AUTH_MISSING');
  });

  it('says AUTH_EXPIRED for an expired genuine token', async () => {
    const expired = await sign({ name: 'Alice' }, { expiresAt: Math.floor(Date.now() / 1000) - 10 });
    expect(await codeOf(tokens.verifyAccessToken(expired))).toBe('AUTH_EXPIRED');
  });

  it('says AUTH_INVALID for a wrong secret, issuer or audience', async () => {
    expect(
      await codeOf(tokens.verifyAccessToken(await sign({ name: 'A' }, { secret: 'o'.repeat(40) }))),
    ).toBe('AUTH_INVALID');
    expect(await codeOf(tokens.verifyAccessToken(await sign({ name: 'A' }, { issuer: 'elsewhere' })))).toBe(
      'AUTH_INVALID',
    );
    expect(await codeOf(tokens.verifyAccessToken(await sign({ name: 'A' }, { audience: 'other' })))).toBe(
      'AUTH_INVALID',
    );
  });

  it('refuses unsigned tokens and garbage', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({ sub: 'alice', name: 'A', iss: config.issuer, aud: config.audience, exp: 9e9, iat: 1 }),
    ).toString('base64url');
    expect(await codeOf(tokens.verifyAccessToken(`${header}.${body}.`))).toBe('AUTH_INVALID');
    expect(await codeOf(tokens.verifyAccessToken('not-a-jwt'))).toBe('AUTH_INVALID');
  });

  it('refuses a token whose subject is not a safe id or that has no name', async () => {
    expect(
      await codeOf(tokens.verifyAccessToken(await sign({ name: 'A' }, { subject: '{"$ne":null}' }))),
    ).toBe('AUTH_INVALID');
    expect(await codeOf(tokens.verifyAccessToken(await sign({})))).toBe('AUTH_INVALID');
  });

  it('mints dev tokens only when dev sign-in is on, with the configured lifetime', async () => {
    const off = createTokenService({ ...config, devSignIn: false });
    expect(await codeOf(off.mintDevToken(alice))).toBe('AUTH_DEV_SIGNIN_DISABLED');
    const [, body] = (await tokens.mintDevToken(alice)).split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString()) as { exp: number; iat: number };
    expect(claims.exp - claims.iat).toBe(60);
  });

  it('never puts the token into an error message', async () => {
    const token = await sign({ name: 'A' }, { secret: 'o'.repeat(40) });
    const error = await tokens.verifyAccessToken(token).catch((reason: Error) => reason);
    expect(String((error as Error).message)).not.toContain(token);
  });
});

describe('bearerToken', () => {
  it('takes the token out of an Authorization header', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer  abc.def.ghi ')).toBe('abc.def.ghi');
  });

  it('says AUTH_MISSING for an absent or malformed header', () => {
    for (const header of [undefined, '', 'Basic xyz', 'Bearer', 'Bearer a b']) {
      expect(() => bearerToken(header)).toThrow(AuthError);
    }
  });
});
