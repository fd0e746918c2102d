import { createServer, type Server } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthConfig } from './config.js';
import { AuthError } from './errors.js';
import { externalUserId } from './external-user-id.js';
import { createTokenService } from './tokens.js';

interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string, alg: 'ES256' | 'EdDSA' | 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** Serves a key set that the test may change, as a provider rotating keys does. */
async function jwksServer(keys: { current: JWK[] }): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: keys.current }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`, server };
}

async function sign(
  key: SigningKey,
  claims: Record<string, unknown>,
  iss: string,
  aud: string,
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setSubject('u-1')
    .setIssuer(iss)
    .setAudience(aud)
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign(key.privateKey);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AuthError);
  return (error as AuthError).code;
}

const published: { current: JWK[] } = { current: [] };
const external: { current: JWK[] } = { current: [] };
const servers: Server[] = [];
let config: AuthConfig;
let es: SigningKey;
let ed: SigningKey;
let rsa: SigningKey;

beforeAll(async () => {
  [es, ed, rsa] = await Promise.all([
    signingKey('es-1', 'ES256'),
    signingKey('ed-1', 'EdDSA'),
    signingKey('rsa-1', 'RS256'),
  ]);
  published.current = [es.jwk, ed.jwk];
  external.current = [rsa.jwk];
  const own = await jwksServer(published);
  const theirs = await jwksServer(external);
  servers.push(own.server, theirs.server);
  config = {
    secret: 's'.repeat(40),
    issuer: 'chat-platform',
    audience: 'chat-platform',
    accessTokenTtlSeconds: 60,
    clockToleranceSeconds: 0,
    devSignIn: false,
    jwksUrl: own.url,
    externalIssuer: { issuer: 'https://sso.example.com', jwksUrl: theirs.url, audience: 'chat' },
  };
});

afterAll(() => {
  for (const server of servers) server.close();
});

describe('tokens verified by a JWKS', () => {
  it('accepts ES256 and EdDSA tokens of the identity service, with their session', async () => {
    const tokens = createTokenService(config);
    for (const key of [es, ed]) {
      const token = await sign(key, { name: 'Ada', sid: 'fam-1' }, config.issuer, config.audience);
      await expect(tokens.verifyAccessToken(token)).resolves.toEqual({
        userId: 'u-1',
        name: 'Ada',
        sessionId: 'fam-1',
      });
    }
  });

  it('refuses a key the set does not hold, and HS256 while dev sign-in is off', async () => {
    const tokens = createTokenService(config);
    const stranger = await signingKey('es-1', 'ES256');
    expect(
      await codeOf(
        tokens.verifyAccessToken(await sign(stranger, { name: 'A' }, config.issuer, config.audience)),
      ),
    ).toBe('AUTH_INVALID');
    const hs = await new SignJWT({ name: 'A' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-1')
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(config.secret));
    expect(await codeOf(tokens.verifyAccessToken(hs))).toBe('AUTH_INVALID');
    await expect(
      createTokenService({ ...config, devSignIn: true }).verifyAccessToken(hs),
    ).resolves.toMatchObject({
      userId: 'u-1',
    });
  });

  it('finds a key published after start (rotation) once the cooldown has passed', async () => {
    const tokens = createTokenService(config);
    await tokens.verifyAccessToken(await sign(es, { name: 'A' }, config.issuer, config.audience));
    const next = await signingKey('es-2', 'ES256');
    published.current = [next.jwk, es.jwk];
    const token = await sign(next, { name: 'A' }, config.issuer, config.audience);
    // Within the cooldown the cached set is used; a new kid is looked up once it has passed.
    await new Promise((resolve) => setTimeout(resolve, 10_500));
    await expect(tokens.verifyAccessToken(token)).resolves.toMatchObject({ userId: 'u-1' });
  }, 20_000);

  it("maps an external provider's token to the account id derived from issuer and subject", async () => {
    const tokens = createTokenService(config);
    const token = await sign(rsa, { preferred_username: 'ada' }, 'https://sso.example.com', 'chat');
    await expect(tokens.verifyAccessToken(token)).resolves.toEqual({
      userId: externalUserId('https://sso.example.com', 'u-1'),
      name: 'ada',
    });
    const wrongAudience = await sign(rsa, {}, 'https://sso.example.com', 'other');
    expect(await codeOf(tokens.verifyAccessToken(wrongAudience))).toBe('AUTH_INVALID');
    // The provider's key cannot sign as the identity service.
    expect(
      await codeOf(tokens.verifyAccessToken(await sign(rsa, { name: 'A' }, config.issuer, config.audience))),
    ).toBe('AUTH_INVALID');
  });
});
