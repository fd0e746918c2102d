/** A run that cannot start or finish as asked; `code` says which step failed. */
export class LoadError extends Error {
  constructor(
    readonly code: 'SETUP_FAILED' | 'MEMBERSHIP_TIMEOUT',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LoadError';
  }
}
