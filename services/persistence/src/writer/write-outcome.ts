/** What happened to one buffered event when the worker tried to write it. */
export type WriteOutcome =
  | { kind: 'written' }
  /** Already stored (same messageId): redelivery or a duplicate publish; nothing to do. */
  | { kind: 'duplicate' }
  /** Will never succeed (the server rejected the document itself): dead-letter it. */
  | { kind: 'rejected'; error: Error }
  /** May succeed later (server down, timeout, write conflict): retry it. */
  | { kind: 'retry'; error: Error };

const DUPLICATE_KEY = 11000;

/** Server error codes that say "try again", not "this document is bad". */
const TRANSIENT_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  112, // WriteConflict
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
]);

/** Classifies one per-document write error from a bulk write. */
export function outcomeOfWriteError(
  code: number | undefined,
  message: string,
  duplicateMeansStored: boolean,
): WriteOutcome {
  if (code === DUPLICATE_KEY) {
    return duplicateMeansStored ? { kind: 'duplicate' } : { kind: 'retry', error: new Error(message) };
  }
  if (code !== undefined && TRANSIENT_CODES.has(code)) return { kind: 'retry', error: new Error(message) };
  return { kind: 'rejected', error: new Error(`write rejected (code ${code ?? 'unknown'}): ${message}`) };
}
