import { createServer } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

export interface JwksIssuer {
  /** Where the public key set is served: a verifier's AUTH_JWKS_URL. */
  url: string;
  /** An access token as the identity service signs it (ES256, `kid`, issuer and audience `chat-platform`). */
  sign(claims: { sub: string; name: string; sid?: string }): Promise<string>;
  close(): Promise<void>;
}

/** A stand-in for the identity service's signing key and `/.well-known/jwks.json`, on a free loopback port. */
export async function startJwksIssuer(kid = 'test-key'): Promise<JwksIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const keys = [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }];
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    sign: ({ sub, ...claims }) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject(sub)
        .setIssuer('chat-platform')
        .setAudience('chat-platform')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
