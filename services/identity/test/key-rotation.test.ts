import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthError, createTokenService } from '@chat/auth';
import { uniqueName } from '@chat/testkit';
import { PASSWORD, call, freshHandle, startIdentity } from './support.js';

async function privateJwk(kid: string, alg: 'ES256' | 'EdDSA'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg };
}

function kidOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
}

function verifierOf(url: string) {
  return createTokenService({
    secret: 'x'.repeat(32),
    issuer: 'chat-platform',
    audience: 'chat-platform',
    accessTokenTtlSeconds: 600,
    clockToleranceSeconds: 5,
    devSignIn: false,
    jwksUrl: `${url}/.well-known/jwks.json`,
  });
}

describe('signing key rotation', () => {
  it('keeps old tokens valid while their key is published, and signs new ones with the new key', async () => {
    const [oldKey, newKey] = await Promise.all([
      privateJwk('key-2026-01', 'ES256'),
      privateJwk('key-2026-02', 'EdDSA'),
    ]);
    const shared = { IDENTITY_COLLECTION_PREFIX: uniqueName('rotation').replace(/[^A-Za-z0-9_-]/g, '_') };
    const handle = freshHandle('rotate');

    const before = await startIdentity({
      ...shared,
      IDENTITY_SIGNING_KEYS: JSON.stringify({ keys: [oldKey] }),
    });
    const signedUp = await call(before.url, 'POST', '/v1/auth/signup', {
      body: { handle, displayName: 'Rotating Person', password: PASSWORD },
    });
    const oldToken = signedUp.body.accessToken as string;
    expect(kidOf(oldToken)).toBe('key-2026-01');
    await before.stop();

    // The new key is active, the old one only verifies.
    const during = await startIdentity({
      ...shared,
      IDENTITY_SIGNING_KEYS: JSON.stringify({ keys: [newKey, oldKey] }),
      IDENTITY_ACTIVE_KEY_ID: 'key-2026-02',
    });
    const jwks = await (await fetch(`${during.url}/.well-known/jwks.json`)).json();
    expect((jwks as { keys: JWK[] }).keys.map((key) => key.kid)).toEqual(['key-2026-02', 'key-2026-01']);
    expect(JSON.stringify(jwks)).not.toContain('"d"');
    const signedIn = await call(during.url, 'POST', '/v1/auth/signin', {
      body: { handle, password: PASSWORD },
    });
    const newToken = signedIn.body.accessToken as string;
    expect(kidOf(newToken)).toBe('key-2026-02');
    const verifier = verifierOf(during.url);
    await expect(verifier.verifyAccessToken(oldToken)).resolves.toMatchObject({ name: 'Rotating Person' });
    await expect(verifier.verifyAccessToken(newToken)).resolves.toMatchObject({ name: 'Rotating Person' });
    await during.stop();

    // Once the old key's tokens have expired it is dropped, and what it signed no longer verifies.
    const after = await startIdentity({
      ...shared,
      IDENTITY_SIGNING_KEYS: JSON.stringify({ keys: [newKey] }),
    });
    const afterVerifier = verifierOf(after.url);
    await expect(afterVerifier.verifyAccessToken(newToken)).resolves.toMatchObject({
      name: 'Rotating Person',
    });
    await expect(afterVerifier.verifyAccessToken(oldToken)).rejects.toBeInstanceOf(AuthError);
    await after.drop();
    await after.stop();
  });

  it('refuses a key set that is not private, or an active key it does not hold', async () => {
    const key = await privateJwk('k1', 'ES256');
    const { d: _private, ...publicOnly } = key;
    await expect(
      startIdentity({ IDENTITY_SIGNING_KEYS: JSON.stringify({ keys: [publicOnly] }) }),
    ).rejects.toThrow(/not a private key/);
    await expect(
      startIdentity({ IDENTITY_SIGNING_KEYS: JSON.stringify({ keys: [key] }), IDENTITY_ACTIVE_KEY_ID: 'k9' }),
    ).rejects.toThrow(/IDENTITY_ACTIVE_KEY_ID/);
  });
});
