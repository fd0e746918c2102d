import type { Redis } from 'ioredis';
import { parseEvent, type AnyEvent } from '@chat/contracts';

/** Where the gateway keeps messages acked while Kafka was unreachable: a Redis list of JSON events, oldest first. */
export const DEFAULT_BACKUP_KEY = 'chat:backup:messages';

/** Only the lock's owner extends or releases it. */
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * The lock that lets one drainer at a time publish the list: every gateway
 * instance's retrier and the ops CLI take `<key>:lock` with their own token,
 * so the list leaves in one order.
 */
export interface DrainLock {
  readonly key: string;
  /** Takes the lock, or finds it already ours; false while someone else holds it. */
  acquire(ttlMs: number): Promise<boolean>;
  /** Keeps holding it; false once it expired and was lost. */
  extend(ttlMs: number): Promise<boolean>;
  release(): Promise<void>;
}

export function drainLock(redis: Redis, listKey: string, token: string): DrainLock {
  const key = `${listKey}:lock`;
  return {
    key,
    async acquire(ttlMs) {
      if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK') return true;
      return (await redis.get(key)) === token;
    },
    async extend(ttlMs) {
      return (await redis.eval(EXTEND, 1, key, token, ttlMs)) === 1;
    },
    async release() {
      await redis.eval(RELEASE, 1, key, token);
    },
  };
}

export interface DrainedBatch {
  /** Items taken off the head of the list (published or unreadable). */
  taken: number;
  published: number;
  unreadable: number;
}

/**
 * Publishes the head of the list, at most `batch` items, and trims them only
 * after `publish` resolved: a crash in between re-publishes them, which the
 * deterministic messageId makes harmless. Items that no longer parse are
 * dropped with the batch and counted. `taken` 0 means the list is empty.
 */
export async function drainBatch(
  redis: Redis,
  listKey: string,
  batch: number,
  publish: (events: AnyEvent[]) => Promise<void>,
): Promise<DrainedBatch> {
  const raw = await redis.lrange(listKey, 0, batch - 1);
  if (raw.length === 0) return { taken: 0, published: 0, unreadable: 0 };
  const events: AnyEvent[] = [];
  for (const item of raw) {
    try {
      events.push(parseEvent(item));
    } catch {
      // counted below: the caller reports what it dropped
    }
  }
  if (events.length > 0) await publish(events);
  await redis.ltrim(listKey, raw.length, -1);
  return { taken: raw.length, published: events.length, unreadable: raw.length - events.length };
}
