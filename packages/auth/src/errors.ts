import { PlatformError } from '@chat/contracts';

export const AUTH_ERROR_CODES = [
  /** No token, or not a `Bearer <token>` header. */
  'AUTH_MISSING',
  /** Bad signature, algorithm, issuer, audience or claims: the token is not ours. */
  'AUTH_INVALID',
  /** A genuine token past its expiry: the client should sign in (or refresh) again. */
  'AUTH_EXPIRED',
  /** Dev sign-in was asked for while it is switched off. */
  'AUTH_DEV_SIGNIN_DISABLED',
] as const;

export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

/** Never retryable: the same token fails the same way. Messages never contain the token. */
export class AuthError extends PlatformError {
  declare readonly code: AuthErrorCode;

  constructor(code: AuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, false, options);
  }
}
