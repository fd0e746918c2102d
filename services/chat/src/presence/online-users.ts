import type { Redis } from 'ioredis';

const onlineKey = (userId: string): string => `chat:online:${userId}`;

/**
 * Who is connected, on any instance: `chat:online:{userId}`, set at connect,
 * renewed while connected, and expiring by itself `ttlSeconds` after the
 * user's last socket (or its instance) is gone. A snapshot can therefore
 * call someone online for up to that long after they left; the live
 * `presence` events are exact.
 */
export class OnlineUsers {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {}

  /** Marks the user online for another `ttlSeconds`; a Redis failure only loses the mark. */
  mark(userId: string): void {
    this.redis.set(onlineKey(userId), '1', 'EX', this.ttlSeconds).catch(() => undefined);
  }

  /** Those of `userIds` online now; undefined when Redis cannot say. */
  async among(userIds: readonly string[]): Promise<string[] | undefined> {
    if (userIds.length === 0) return [];
    try {
      const marks = await this.redis.mget(...userIds.map(onlineKey));
      return userIds.filter((_, index) => marks[index] !== null);
    } catch {
      return undefined;
    }
  }
}
