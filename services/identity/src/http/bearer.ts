import type { FastifyRequest } from 'fastify';
import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import { AuthError, IDENTITY_ALGORITHMS, bearerToken, type SessionRevocations } from '@chat/auth';
import type { SigningKeys } from '../keys/signing-keys.js';

export interface Caller {
  userId: string;
  sessionId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` on the routes that act as the signed-in user. */
    caller: Caller | null;
  }
}

/** Verifies this service's own access tokens with its public keys, refusing revoked sessions. */
export function bearerAuthenticator(
  keys: SigningKeys,
  settings: { issuer: string; audience: string },
  revocations: SessionRevocations,
) {
  const keySet = createLocalJWKSet(keys.publicJwks);
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request.headers.authorization);
    let claims: { sub?: string; sid?: unknown };
    try {
      ({ payload: claims } = await jwtVerify(token, keySet, {
        algorithms: IDENTITY_ALGORITHMS,
        issuer: settings.issuer,
        audience: settings.audience,
        requiredClaims: ['sub', 'sid', 'exp'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired)
        throw new AuthError('AUTH_EXPIRED', 'the access token has expired');
      throw new AuthError('AUTH_INVALID', 'the access token is not valid');
    }
    const sessionId = String(claims.sid);
    if ((await revocations.revoked([sessionId])).size)
      throw new AuthError('AUTH_INVALID', 'the session has been signed out');
    request.caller = { userId: claims.sub!, sessionId };
  };
}

export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error('route registered without authentication');
  return request.caller;
}
