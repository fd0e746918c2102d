import { PlatformError, ROOM_ERRORS, type RoomErrorCode } from '@chat/contracts';
import { isTransientMongoError } from '@chat/runtime';

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
  if (error instanceof PlatformError) return error.retryable;
  return isTransientMongoError(error);
}
