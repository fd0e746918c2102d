import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import * as oidc from 'openid-client';
import type { Logger } from '@chat/runtime';
import type { Accounts } from '../accounts/accounts.js';
import type { SsoConfig } from '../config.js';
import { IdentityError } from '../errors.js';
import { setRefreshCookie, type CookiePolicy } from '../http/cookies.js';
import type { Sessions } from '../sessions/sessions.js';

/** Binds the provider's answer to the browser that started the sign-in. Lax: the answer is a cross-site navigation. */
const STATE_COOKIE = 'chat_sso_state';
const STATE_PATH = '/v1/auth/sso';
/** How long a started sign-in may take at the provider. */
const PENDING_TTL_SECONDS = 600;

export interface SsoRouteDeps {
  sso: SsoConfig;
  accounts: Accounts;
  sessions: Sessions;
  redis: Redis;
  cookies: CookiePolicy;
  /** Where the browser goes once signed in (the chat page, which then refreshes). */
  returnUrl: string;
  /** Plain-http issuers only outside production (a provider run for development or tests). */
  allowInsecureIssuer: boolean;
  keyPrefix: string;
  logger: Logger;
}

interface Pending {
  verifier: string;
  nonce: string;
}

/**
 * Single sign-on by OpenID Connect: authorization code flow with PKCE,
 * state and nonce. The verifier and nonce wait in Redis under the state;
 * the state also sits in a cookie so only the browser that started can
 * finish. The first sign-in creates the account (`Accounts.fromExternal`).
 */
export function ssoRoutes(deps: SsoRouteDeps) {
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= oidc
      .discovery(
        new URL(deps.sso.issuer),
        deps.sso.clientId,
        deps.sso.clientSecret,
        undefined,
        deps.allowInsecureIssuer ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        discovered = undefined;
        deps.logger.warn({ err: (error as Error).message }, 'OpenID provider discovery failed');
        throw new IdentityError('UNAVAILABLE', 'the sign-in provider cannot be reached; try again');
      });
    return discovered;
  };
  const pendingKey = (state: string) => `${deps.keyPrefix}:sso:${state}`;

  return async (app: FastifyInstance): Promise<void> => {
    app.get('/v1/auth/sso/start', async (_request, reply) => {
      const config = await configuration();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      await deps.redis.set(
        pendingKey(state),
        JSON.stringify({ verifier, nonce } satisfies Pending),
        'EX',
        PENDING_TTL_SECONDS,
      );
      const target = oidc.buildAuthorizationUrl(config, {
        redirect_uri: deps.sso.redirectUrl,
        scope: deps.sso.scopes,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      reply.setCookie(STATE_COOKIE, state, {
        httpOnly: true,
        secure: deps.cookies.secure,
        sameSite: 'lax',
        path: STATE_PATH,
        maxAge: PENDING_TTL_SECONDS,
      });
      return reply.redirect(target.href, 302);
    });

    app.get('/v1/auth/sso/callback', async (request, reply) => {
      const state = request.cookies[STATE_COOKIE];
      const query = request.query as Record<string, string | undefined>;
      reply.clearCookie(STATE_COOKIE, { path: STATE_PATH });
      if (!state || query.state !== state)
        throw new IdentityError('SSO_FAILED', 'the sign-in was not started here; try again');
      const raw = await deps.redis.getdel(pendingKey(state));
      if (!raw) throw new IdentityError('SSO_FAILED', 'the sign-in took too long; try again');
      const pending = JSON.parse(raw) as Pending;
      const config = await configuration();
      // The URL the provider sent the browser to, on the configured redirect's origin (what the provider checks).
      const current = new URL(request.url, deps.sso.redirectUrl);
      let claims: oidc.IDToken | undefined;
      let profile: Record<string, unknown> = {};
      try {
        const tokens = await oidc.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: pending.verifier,
          expectedState: state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims();
        // Many providers put the profile (name, preferred_username) in the UserInfo answer, not the ID token.
        if (claims && config.serverMetadata().userinfo_endpoint)
          profile = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      } catch (error) {
        deps.logger.warn({ err: (error as Error).message }, 'single sign-on refused');
        throw new IdentityError('SSO_FAILED', 'the sign-in provider did not sign you in; try again');
      }
      if (!claims) throw new IdentityError('SSO_FAILED', 'the sign-in provider did not say who you are');
      const named = { ...claims, ...profile };
      const user = await deps.accounts.fromExternal({
        issuer: claims.iss,
        subject: claims.sub,
        ...(typeof named.preferred_username === 'string' ? { preferredName: named.preferred_username } : {}),
        ...(typeof named.name === 'string' ? { displayName: named.name } : {}),
      });
      const session = await deps.sessions.start(user.userId);
      setRefreshCookie(reply, deps.cookies, session.refreshToken);
      return reply.redirect(deps.returnUrl, 303);
    });
  };
}
