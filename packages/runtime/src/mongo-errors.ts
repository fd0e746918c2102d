/**
 * How the platform reads MongoDB (and FerretDB) failures, written once: a
 * duplicate key is "already there" for idempotent writes; the transient ones
 * are worth another attempt; anything else is about the document itself.
 * Plain checks on the error's fields, so this package needs no driver.
 */
export const MONGO_DUPLICATE_KEY = 11000;

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

/** The driver's names for failures to reach or keep a server (network, server selection, timeouts). */
const TRANSIENT_NAME = /^Mongo(Network|ServerSelection|NetworkTimeout|Pool|Topology)/;

export const isTransientMongoCode = (code: number | undefined): boolean =>
  code !== undefined && TRANSIENT_CODES.has(code);

/** A write refused only because the `_id` (or a unique key) is taken: for idempotent writes, "already there". */
export function isDuplicateKey(error: unknown): boolean {
  const { code, writeErrors } = (error ?? {}) as { code?: number; writeErrors?: unknown };
  if (Array.isArray(writeErrors) && writeErrors.length > 0) {
    return writeErrors.every((writeError) => (writeError as { code?: number }).code === MONGO_DUPLICATE_KEY);
  }
  return code === MONGO_DUPLICATE_KEY;
}

/** Infrastructure failures (network, server selection, timeouts, retryable labels) a later attempt can get past. */
export function isTransientMongoError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (TRANSIENT_NAME.test(error.name)) return true;
  const labels = (error as { errorLabelSet?: Set<string> }).errorLabelSet;
  return labels?.has('RetryableWriteError') === true || labels?.has('TransientTransactionError') === true;
}
