import { PlatformError } from '@chat/contracts';

/**
 * Every refusal the room service gives, with the HTTP status it maps to and
 * whether repeating the same request later can succeed.
 */
export const ROOM_ERRORS = {
  VALIDATION_FAILED: { status: 400, retryable: false },
  NOT_A_MEMBER: { status: 403, retryable: false },
  FORBIDDEN: { status: 403, retryable: false },
  ROOM_NOT_FOUND: { status: 404, retryable: false },
  MEMBER_NOT_FOUND: { status: 404, retryable: false },
  ROOM_ARCHIVED: { status: 409, retryable: false },
  DIRECT_ROOM_FIXED: { status: 409, retryable: false },
  OWNER_CANNOT_LEAVE: { status: 409, retryable: false },
  ROOM_FULL: { status: 409, retryable: false },
  IDEMPOTENCY_KEY_REUSED: { status: 422, retryable: false },
  ROOM_CREATION_IN_PROGRESS: { status: 409, retryable: true },
  ROOM_CREATION_FAILED: { status: 503, retryable: true },
  CONFLICT: { status: 409, retryable: true },
  OUTBOX_BACKLOG: { status: 503, retryable: true },
  UNAVAILABLE: { status: 503, retryable: true },
} as const;

export type RoomErrorCode = keyof typeof ROOM_ERRORS;

/** A refusal clients and logs can act on; its message is safe to show (no internals). */
export class RoomError extends PlatformError {
  declare readonly code: RoomErrorCode;
  readonly status: number;
  /** Which inputs were wrong, for VALIDATION_FAILED. */
  readonly details: string[] | undefined;

  constructor(
    code: RoomErrorCode,
    message: string,
    options?: { retryable?: boolean; cause?: unknown; details?: string[] },
  ) {
    const spec = ROOM_ERRORS[code];
    super(code, message, options?.retryable ?? spec.retryable, options);
    this.status = code === 'ROOM_CREATION_FAILED' && options?.retryable === false ? 500 : spec.status;
    this.details = options?.details;
  }
}

/** Infrastructure failures (network, server selection, timeouts) that a later attempt can get past. */
export function isTransient(error: unknown): boolean {
  if (error instanceof PlatformError) return error.retriable;
  if (!(error instanceof Error)) return false;
  const name = error.name;
  if (/^Mongo(Network|ServerSelection|NetworkTimeout|Pool|Topology)/.test(name)) return true;
  const labels = (error as { errorLabelSet?: Set<string> }).errorLabelSet;
  return labels?.has('RetryableWriteError') === true || labels?.has('TransientTransactionError') === true;
}
