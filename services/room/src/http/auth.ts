import type { FastifyRequest } from 'fastify';
import { bearerToken, type Principal, type SessionRevocations, type TokenService } from '@chat/auth';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every /v1 route; the actor is always taken from here, never from the body. */
    principal: Principal | null;
  }
}

/** A valid token of a session that has not been signed out; the gateway applies the same rule at connect. */
export function authenticate(tokens: TokenService, revocations: SessionRevocations) {
  return async (request: FastifyRequest): Promise<void> => {
    const principal = await tokens.verifyAccessToken(bearerToken(request.headers.authorization));
    await revocations.refuseRevoked(principal);
    request.principal = principal;
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route registered outside the authenticated scope');
  return request.principal;
}
