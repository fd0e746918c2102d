/** A problem the person running the launcher can fix; printed as one clear message, never a stack trace. */
export class InfraError extends Error {
  constructor(
    readonly code: 'PORT_IN_USE' | 'NOT_ANSWERING' | 'INSTALL_FAILED' | 'START_FAILED' | 'BAD_ENVIRONMENT',
    message: string,
  ) {
    super(message);
    this.name = 'InfraError';
  }
}
