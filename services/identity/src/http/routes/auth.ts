import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Joi from 'joi';
import type { Accounts, PublicUser } from '../../accounts/accounts.js';
import { HANDLE_RULE, validDisplayName, validHandle } from '../../accounts/handle.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../accounts/passwords.js';
import type { SignInThrottle } from '../../accounts/sign-in-throttle.js';
import { IdentityError } from '../../errors.js';
import type { MintAccessToken } from '../../keys/access-tokens.js';
import type { IssuedSession, Sessions } from '../../sessions/sessions.js';
import { callerOf } from '../bearer.js';
import {
  clearRefreshCookie,
  refreshCookieOf,
  requireSameParty,
  setRefreshCookie,
  type CookiePolicy,
} from '../cookies.js';

export interface AuthRouteDeps {
  accounts: Accounts;
  sessions: Sessions;
  throttle: SignInThrottle;
  mintAccessToken: MintAccessToken;
  accessTokenTtlSeconds: number;
  cookies: CookiePolicy;
  authenticate: (request: FastifyRequest) => Promise<void>;
}

const password = Joi.string().min(PASSWORD_MIN).max(PASSWORD_MAX);
const signUpBody = Joi.object({
  handle: Joi.string().max(64).required(),
  displayName: Joi.string().max(200).required(),
  password: password.required(),
});
const signInBody = Joi.object({
  handle: Joi.string().max(64).required(),
  password: Joi.string().max(PASSWORD_MAX).required(),
});
const passwordBody = Joi.object({
  currentPassword: Joi.string().max(PASSWORD_MAX).required(),
  newPassword: password.required(),
});

/** The one answer for a wrong handle or a wrong password. */
const signInFailed = () => new IdentityError('SIGN_IN_FAILED', 'the handle or the password is not right');

/** Session endpoints: the refresh cookie is set and read only here. */
export function authRoutes(deps: AuthRouteDeps) {
  const sameParty = requireSameParty(deps.cookies);

  /** A new access token for the session, and its next refresh token in the cookie. */
  async function answer(reply: FastifyReply, session: IssuedSession, user: PublicUser, status = 200) {
    setRefreshCookie(reply, deps.cookies, session.refreshToken);
    const accessToken = await deps.mintAccessToken({
      userId: user.userId,
      displayName: user.displayName,
      sessionId: session.sessionId,
    });
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .send({ accessToken, tokenType: 'Bearer', expiresIn: deps.accessTokenTtlSeconds, user });
  }

  return async (app: FastifyInstance): Promise<void> => {
    app.post(
      '/v1/auth/signup',
      { schema: { body: signUpBody }, onRequest: sameParty },
      async (request, reply) => {
        const body = request.body as { handle: string; displayName: string; password: string };
        await deps.throttle.admit(request.ip);
        const handle = validHandle(body.handle);
        const displayName = validDisplayName(body.displayName);
        if (!handle || !displayName)
          throw new IdentityError('VALIDATION_FAILED', 'the request is not valid', {
            details: [
              ...(handle ? [] : [`handle: ${HANDLE_RULE}`]),
              ...(displayName ? [] : ['displayName: 1 to 100 characters']),
            ],
          });
        const user = await deps.accounts.signUp({ handle, displayName, password: body.password });
        return answer(reply, await deps.sessions.start(user.userId), user, 201);
      },
    );

    app.post(
      '/v1/auth/signin',
      { schema: { body: signInBody }, onRequest: sameParty },
      async (request, reply) => {
        const body = request.body as { handle: string; password: string };
        const handle = validHandle(body.handle);
        await deps.throttle.admit(request.ip, handle);
        const user = handle ? await deps.accounts.withPassword(handle, body.password) : undefined;
        if (!user) {
          if (handle) await deps.throttle.failed(handle);
          throw signInFailed();
        }
        await deps.throttle.succeeded(user.handle);
        return answer(reply, await deps.sessions.start(user.userId), user);
      },
    );

    app.post('/v1/auth/refresh', { onRequest: sameParty }, async (request, reply) => {
      const token = refreshCookieOf(request);
      if (!token) throw new IdentityError('SESSION_INVALID', 'the session has ended; sign in again');
      let session: IssuedSession;
      try {
        session = await deps.sessions.rotate(token);
      } catch (error) {
        if (error instanceof IdentityError) clearRefreshCookie(reply, deps.cookies);
        throw error;
      }
      const user = await deps.accounts.byId(session.userId);
      if (!user) {
        await deps.sessions.endAll(session.userId);
        clearRefreshCookie(reply, deps.cookies);
        throw new IdentityError('SESSION_INVALID', 'the session has ended; sign in again');
      }
      return answer(reply, session, user);
    });

    app.post('/v1/auth/signout', { onRequest: sameParty }, async (request, reply) => {
      const token = refreshCookieOf(request);
      if (token) await deps.sessions.end(token);
      clearRefreshCookie(reply, deps.cookies);
      return reply.status(204).send();
    });

    app.post('/v1/auth/signout-everywhere', { onRequest: deps.authenticate }, async (request, reply) => {
      await deps.sessions.endAll(callerOf(request).userId);
      clearRefreshCookie(reply, deps.cookies);
      return reply.status(204).send();
    });

    app.put(
      '/v1/auth/password',
      { schema: { body: passwordBody }, onRequest: deps.authenticate },
      async (request, reply) => {
        const { userId } = callerOf(request);
        const body = request.body as { currentPassword: string; newPassword: string };
        await deps.accounts.changePassword(userId, body.currentPassword, body.newPassword);
        // A new password ends every session, this one included, and starts a fresh one here.
        await deps.sessions.endAll(userId);
        const user = await deps.accounts.byId(userId);
        if (!user) throw new IdentityError('NOT_ALLOWED', 'the account was removed');
        return answer(reply, await deps.sessions.start(userId), user);
      },
    );
  };
}
