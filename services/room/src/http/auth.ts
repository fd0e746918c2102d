import type { FastifyRequest } from 'fastify';
import { bearerToken, type Principal, type TokenService } from '@chat/auth';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every /v1 route; the actor is always taken from here, never from the body. */
    principal: Principal | null;
  }
}

export function authenticate(tokens: TokenService) {
  return async (request: FastifyRequest): Promise<void> => {
    request.principal = await tokens.verifyAccessToken(bearerToken(request.headers.authorization));
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route registered outside the authenticated scope');
  return request.principal;
}
