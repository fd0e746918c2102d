import { PlatformError } from '@chat/contracts';

/**
 * Whether trying again could help. Platform errors say so themselves;
 * programming errors (TypeError, RangeError, SyntaxError, ReferenceError) never heal by
 * retrying; anything else (network, timeouts, downstream 5xx) is presumed transient.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof PlatformError) return error.retryable;
  if (
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof SyntaxError ||
    error instanceof ReferenceError
  ) {
    return false;
  }
  return true;
}

/** The class name recorded in DLQ headers and logs. */
export function errorClassOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

export function errorCodeOf(error: unknown): string | undefined {
  if (error instanceof PlatformError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
