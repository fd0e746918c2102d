import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { MongoBulkWriteError } from 'mongodb';
import { outcomeOfWriteError, type WriteOutcome } from './write-outcome.js';

/**
 * One bulk write of many documents, `ordered: false`, through the native
 * collection (mongoose casting costs 30× at this volume). Returns an outcome
 * per operation; a failure of the whole call (server down, timeout) is thrown
 * for the caller's breaker and retry to handle.
 */
export async function bulkWriteOutcomes<T extends Document>(
  collection: Collection<T>,
  operations: AnyBulkWriteOperation<T>[],
  { duplicateMeansStored }: { duplicateMeansStored: boolean },
): Promise<WriteOutcome[]> {
  if (operations.length === 0) return [];
  const outcomes: WriteOutcome[] = operations.map(() => ({ kind: 'written' }));
  try {
    await collection.bulkWrite(operations, { ordered: false });
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
  }
  return outcomes;
}
