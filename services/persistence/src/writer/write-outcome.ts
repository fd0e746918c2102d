import { MONGO_DUPLICATE_KEY, isTransientMongoCode } from '@chat/runtime';

/** What happened to one buffered event when the worker tried to write it. */
export type WriteOutcome =
  | { kind: 'written' }
  /** Already stored (same messageId): redelivery or a duplicate publish; nothing to do. */
  | { kind: 'duplicate' }
  /** Will never succeed (the server rejected the document itself): dead-letter it. */
  | { kind: 'rejected'; error: Error }
  /** May succeed later (server down, timeout, write conflict): retry it. */
  | { kind: 'retry'; error: Error };

/** Classifies one per-document write error from a bulk write. */
export function outcomeOfWriteError(
  code: number | undefined,
  message: string,
  duplicateMeansStored: boolean,
): WriteOutcome {
  if (code === MONGO_DUPLICATE_KEY) {
    return duplicateMeansStored ? { kind: 'duplicate' } : { kind: 'retry', error: new Error(message) };
  }
  if (isTransientMongoCode(code)) return { kind: 'retry', error: new Error(message) };
  return { kind: 'rejected', error: new Error(`write rejected (code ${code ?? 'unknown'}): ${message}`) };
}
