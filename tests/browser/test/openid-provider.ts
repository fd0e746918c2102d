import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from '@chat/infra/private-servers';
import { IDENTITY_ENV } from '@chat/service-env';

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  close(): void;
}

/**
 * A real OpenID Provider (`oidc-provider`, with its development login and
 * consent pages: any login and password) for one client whose redirect is
 * the identity service's callback. Everyone it signs in is called "Olivia <login>".
 */
export async function startTestProvider(identityPort: number): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const client = {
    clientId: 'chat-platform',
    clientSecret: 'a-client-secret-for-tests',
    redirectUrl: `http://127.0.0.1:${identityPort}/v1/auth/sso/callback`,
  };
  const oidc = new Provider(issuer, {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUrl],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, preferred_username: sub, name: `Olivia ${sub}` }),
    }),
    cookies: { keys: ['cookie-key-for-tests'] },
  });
  const server: Server = createServer(oidc.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { issuer, ...client, close: () => server.close() };
}

/** The environment that points the identity service at the provider. */
export function ssoEnv(provider: TestProvider): Record<string, string> {
  return {
    [IDENTITY_ENV.oidcIssuer.name]: provider.issuer,
    [IDENTITY_ENV.oidcClientId.name]: provider.clientId,
    [IDENTITY_ENV.oidcClientSecret.name]: provider.clientSecret,
    [IDENTITY_ENV.oidcRedirectUrl.name]: provider.redirectUrl,
  };
}
