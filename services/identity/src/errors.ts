import { PlatformError } from '@chat/contracts';

/** Every refusal the identity service gives, with its HTTP status. Messages are safe to show and never echo input. */
export const IDENTITY_ERRORS = {
  VALIDATION_FAILED: 400,
  /** Wrong handle or wrong password: one answer for both, so it never tells whether a handle exists. */
  SIGN_IN_FAILED: 401,
  /** No refresh cookie, or one that is unknown, expired, reused or revoked. */
  SESSION_INVALID: 401,
  /** A cookie endpoint called without the CSRF header or from a foreign origin. */
  CSRF_REFUSED: 403,
  HANDLE_TAKEN: 409,
  /** The account has no password (single sign-on only), or it was removed. */
  NOT_ALLOWED: 403,
  SSO_NOT_CONFIGURED: 404,
  SSO_FAILED: 400,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
} as const;

export type IdentityErrorCode = keyof typeof IDENTITY_ERRORS;

export class IdentityError extends PlatformError {
  declare readonly code: IdentityErrorCode;
  readonly status: number;

  constructor(
    code: IdentityErrorCode,
    message: string,
    options?: { cause?: unknown; details?: string[]; retryAfterSeconds?: number },
  ) {
    super(code, message, code === 'RATE_LIMITED' || code === 'UNAVAILABLE', options);
    this.status = IDENTITY_ERRORS[code];
    this.details = options?.details;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  readonly details: string[] | undefined;
  readonly retryAfterSeconds: number | undefined;
}

const DUPLICATE_KEY = 11000;

/** The insert lost to an existing `_id` or unique key: the atomic primitive this service builds on. */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number } | null)?.code === DUPLICATE_KEY;
}
