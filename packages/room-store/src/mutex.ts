import { randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import { PlatformError } from '@chat/contracts';
import { isDuplicateKey } from '@chat/runtime';

interface LockDoc {
  _id: string;
  token: string;
  expiresAt: Date;
}

export interface MutexOptions {
  /** A holder that dies keeps the lock this long. @defaultValue 5000 */
  ttlMs?: number;
  /** How long to wait for a busy lock before giving up with a retryable CONFLICT. @defaultValue 3000 */
  waitMs?: number;
  /** The refusal a caller gets when the lock stays busy; each caller speaks its own error codes. @defaultValue a {@link LockBusyError} */
  busyError?: () => Error;
}

/** The lock stayed busy past the wait: retryable, since its holder finishes or expires. */
export class LockBusyError extends PlatformError {
  constructor(message = 'the room is busy; try again') {
    super('CONFLICT', message, true);
  }
}

export interface Mutex {
  /**
   * Runs `critical` while no other process holds `key`; keep it to a few
   * database round trips. Throws a retryable CONFLICT when the lock stays
   * busy longer than `waitMs` (default: the mutex's).
   */
  withLock<T>(key: string, critical: () => Promise<T>, waitMs?: number): Promise<T>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Mutual exclusion across processes on one document key, built only on what
 * is atomic on both MongoDB and FerretDB v1: inserting a unique `_id`, and
 * deleting. FerretDB v1 runs an update as read-modify-write without
 * isolation, so two concurrent conditional updates of one document can both
 * "win" and lose each other's changes; every read-decide-write of a room
 * document therefore happens under this lock (on MongoDB the conditional
 * updates inside it would already be enough). Builds on the `locks`
 * collection of `db`; tools outside the service (chatctl) take the same lock.
 */
export function createMutex(db: mongo.Db, options: MutexOptions = {}): Mutex {
  const locks: mongo.Collection<LockDoc> = db.collection<LockDoc>('locks');
  const ttlMs = options.ttlMs ?? 5_000;
  const waitMs = options.waitMs ?? 3_000;
  const busyError = options.busyError ?? (() => new LockBusyError());

  async function acquire(key: string, patienceMs: number): Promise<string> {
    const token = randomUUID();
    const deadline = Date.now() + patienceMs;
    for (;;) {
      try {
        await locks.insertOne({ _id: key, token, expiresAt: new Date(Date.now() + ttlMs) });
        return token;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const holder = await locks.findOne({ _id: key });
      if (holder && holder.expiresAt.getTime() < Date.now()) {
        // The holder died: remove exactly its lock (by token), never a newer one.
        await locks.deleteOne({ _id: key, token: holder.token });
        continue;
      }
      if (Date.now() > deadline) {
        throw busyError();
      }
      await sleep(5 + Math.random() * 20);
    }
  }

  return {
    async withLock(key, critical, patienceMs = waitMs) {
      const token = await acquire(key, patienceMs);
      try {
        return await critical();
      } finally {
        await locks.deleteOne({ _id: key, token });
      }
    },
  };
}
