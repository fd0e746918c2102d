/**
 * The platform's error taxonomy, as values: every error says whether trying
 * again can help, so retry and dead-letter decisions never parse messages.
 */
export class PlatformError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The event does not match its contract; retrying cannot fix it, so it goes to the DLQ at once. */
export class ValidationError extends PlatformError {
  constructor(
    message: string,
    readonly details: string[] = [message],
    options?: { cause?: unknown; code?: string },
  ) {
    super(options?.code ?? 'EVENT_INVALID', message, false, options);
  }
}

/** The event carries a major version this code does not know; guessing would corrupt data, so it goes to the DLQ. */
export class UnknownVersionError extends PlatformError {
  constructor(
    readonly eventType: string,
    readonly version: string,
    readonly supportedMajor: number,
  ) {
    super(
      'EVENT_VERSION_UNKNOWN',
      `${eventType} version ${version} is not supported (this consumer knows major ${supportedMajor})`,
      false,
    );
  }
}
