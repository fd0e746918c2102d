/**
 * What went wrong, as the operator (or a script) needs it: a code to branch
 * on and an exit code that says whether retrying can help.
 */
export type CliErrorCode = 'USAGE' | 'NOT_FOUND' | 'UNAVAILABLE' | 'BUSY' | 'FAILED';

/** Exit codes: 0 done, 1 failed, 2 wrong usage, 3 nothing there, 4 a server is unreachable, 5 busy (retry). */
export const EXIT_CODES: Record<CliErrorCode | 'OK', number> = {
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  UNAVAILABLE: 4,
  BUSY: 5,
};

export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }

  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}

const UNREACHABLE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSNonRetriableError',
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
]);

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/** Turns anything thrown by a client library into a CliError; connection failures become UNAVAILABLE. */
export function asCliError(error: unknown, server: string): CliError {
  if (error instanceof CliError) return error;
  const name = error instanceof Error ? error.name : '';
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (UNREACHABLE_NAMES.has(name) || (typeof code === 'string' && UNREACHABLE_CODES.has(code))) {
    return new CliError('UNAVAILABLE', `${server} is unreachable: ${message}`, { cause: error });
  }
  return new CliError('FAILED', `${server}: ${message}`, { cause: error });
}
