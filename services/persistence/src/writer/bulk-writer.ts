import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { MongoBulkWriteError } from 'mongodb';
import { outcomeOfWriteError, type WriteOutcome } from './write-outcome.js';

/** Per operation what happened, and how many documents the update filters matched (undefined when unknown). */
export interface BulkResult {
  outcomes: WriteOutcome[];
  matched: number | undefined;
}

/**
 * One bulk write of many documents, `ordered: false`, through the native
 * collection (mongoose casting costs 30× at this volume). Returns an outcome
 * per operation; a failure of the whole call (server down, timeout) is thrown
 * for the caller's breaker and retry to handle.
 */
export async function bulkWriteResult<T extends Document>(
  collection: Collection<T>,
  operations: AnyBulkWriteOperation<T>[],
  { duplicateMeansStored }: { duplicateMeansStored: boolean },
): Promise<BulkResult> {
  if (operations.length === 0) return { outcomes: [], matched: 0 };
  const outcomes: WriteOutcome[] = operations.map(() => ({ kind: 'written' }));
  try {
    const result = await collection.bulkWrite(operations, { ordered: false });
    return { outcomes, matched: result.matchedCount };
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError) || error.writeErrors === undefined) throw error;
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (writeErrors.length === 0) throw error;
    for (const writeError of writeErrors) {
      outcomes[writeError.index] = outcomeOfWriteError(
        writeError.code,
        writeError.errmsg ?? 'write error',
        duplicateMeansStored,
      );
    }
    return { outcomes, matched: undefined };
  }
}

/** `bulkWriteResult` for callers that need only the outcomes. */
export async function bulkWriteOutcomes<T extends Document>(
  collection: Collection<T>,
  operations: AnyBulkWriteOperation<T>[],
  options: { duplicateMeansStored: boolean },
): Promise<WriteOutcome[]> {
  return (await bulkWriteResult(collection, operations, options)).outcomes;
}
