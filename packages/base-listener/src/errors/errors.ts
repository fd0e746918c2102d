import { PlatformError } from '@chat/contracts';

/** Every allowed attempt failed; the record goes to the DLQ with the last failure as `cause`. */
export class AttemptsExhaustedError extends PlatformError {
  constructor(
    readonly attempts: number,
    cause: unknown,
  ) {
    super('ATTEMPTS_EXHAUSTED', `gave up after ${attempts} attempts: ${messageOf(cause)}`, false, { cause });
  }
}

/** The downstream breaker is open: the listener pauses instead of acknowledging or dead-lettering. */
export class BreakerOpenError extends PlatformError {
  constructor(breaker: string, cause?: unknown) {
    super('BREAKER_OPEN', `circuit breaker "${breaker}" is open`, true, { cause });
  }
}

/** Another consumer is applying the same idempotency key right now; try again later. */
export class ClaimBusyError extends PlatformError {
  constructor(key: string) {
    super('IDEMPOTENCY_KEY_BUSY', `idempotency key "${key}" is being processed elsewhere`, true);
  }
}

/**
 * A record could not be forwarded to its retry or DLQ topic. It carries the
 * handler's failure too, and the source offset stays uncommitted: a failed
 * dead-letter publish is never swallowed.
 */
export class ForwardError extends PlatformError {
  constructor(
    readonly target: string,
    readonly original: unknown,
    cause: unknown,
  ) {
    super(
      'FORWARD_FAILED',
      `could not forward to ${target}: ${messageOf(cause)} (original failure: ${messageOf(original)})`,
      true,
      { cause },
    );
  }
}

/** Shutdown interrupted a wait between attempts; the record stays uncommitted and is read again later. */
export class InterruptedError extends PlatformError {
  constructor() {
    super('INTERRUPTED', 'interrupted by shutdown', true);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
