const DUPLICATE_KEY = 11000;

/** A write refused only because the `_id` (or a unique key) is taken: for idempotent writes, "already there". */
export function isDuplicateKey(error: unknown): boolean {
  const { code, writeErrors } = (error ?? {}) as { code?: number; writeErrors?: unknown };
  if (Array.isArray(writeErrors) && writeErrors.length > 0) {
    return writeErrors.every((writeError) => (writeError as { code?: number }).code === DUPLICATE_KEY);
  }
  return code === DUPLICATE_KEY;
}
