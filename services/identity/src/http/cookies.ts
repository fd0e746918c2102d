import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdentityError } from '../errors.js';

export const REFRESH_COOKIE = 'chat_refresh';
/** Only the auth endpoints ever receive the refresh token. */
export const REFRESH_COOKIE_PATH = '/v1/auth';
/** The header a cookie endpoint requires: a cross-site form cannot send it, and a cross-site fetch needs CORS. */
export const CSRF_HEADER = 'x-chat-csrf';

export interface CookiePolicy {
  secure: boolean;
  lifetimeSeconds: number;
  pageOrigins: readonly string[];
}

export function setRefreshCookie(reply: FastifyReply, policy: CookiePolicy, refreshToken: string): void {
  reply.setCookie(REFRESH_COOKIE, refreshToken, {
    httpOnly: true,
    secure: policy.secure,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
    maxAge: policy.lifetimeSeconds,
  });
}

export function clearRefreshCookie(reply: FastifyReply, policy: CookiePolicy): void {
  reply.clearCookie(REFRESH_COOKIE, {
    httpOnly: true,
    secure: policy.secure,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
  });
}

export function refreshCookieOf(request: FastifyRequest): string | undefined {
  return request.cookies[REFRESH_COOKIE] || undefined;
}

/**
 * CSRF protection for the endpoints the browser's cookie authorises (and
 * for sign-in itself, against login CSRF): the custom header plus an
 * Origin from the configured page origins.
 */
export function requireSameParty(policy: CookiePolicy) {
  return async (request: FastifyRequest): Promise<void> => {
    const origin = request.headers.origin;
    if (request.headers[CSRF_HEADER] !== '1' || !origin || !policy.pageOrigins.includes(origin)) {
      throw new IdentityError('CSRF_REFUSED', `send "${CSRF_HEADER}: 1" from the chat page`);
    }
  };
}
