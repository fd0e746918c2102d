import type { ChatMessage, MessageUpdate } from '@chat/contracts';
import type { Redis, Result } from 'ioredis';

export const recentKey = (roomId: string): string => `chat:recent:${roomId}`;
/** The idempotency keys of the changes applied to the room's cache: a copy of one is not applied again. */
const changesKey = (roomId: string): string => `chat:recent:${roomId}:changes`;
const TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * Appends a message only when its position is above the last cached one and
 * its messageId is not among the newest entries: the list stays in the
 * room's order and a redelivery or a re-published copy changes nothing.
 * KEYS: list. ARGV: json, position, messageId, max length, ttl seconds.
 */
const APPEND = `
local last = redis.call('LINDEX', KEYS[1], -1)
if last then
  local position = tonumber(string.match(last, '"position":(%d+)'))
  if position and position >= tonumber(ARGV[2]) then return 0 end
  local recent = redis.call('LRANGE', KEYS[1], -50, -1)
  local needle = '"messageId":"' .. ARGV[3] .. '"'
  for _, item in ipairs(recent) do
    if string.find(item, needle, 1, true) then return 0 end
  end
end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[4]), -1)
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
`;

/**
 * Applies an edit or delete to the cached message in place, so history and
 * catch-up from the cache show the final state: only a change not applied
 * before (by key), later than the message's last one, never to a deleted one.
 * KEYS: list, applied-changes set. ARGV: messageId, position, change, text, at, change key, ttl seconds.
 */
const UPDATE = `
if redis.call('SADD', KEYS[2], ARGV[6]) == 0 then return 0 end
redis.call('EXPIRE', KEYS[2], ARGV[7])
local needle = '"messageId":"' .. ARGV[1] .. '"'
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for i, item in ipairs(items) do
  if string.find(item, needle, 1, true) then
    local message = cjson.decode(item)
    if message.deleted then return 0 end
    if tonumber(message.revision or message.position) >= tonumber(ARGV[2]) then return 0 end
    message.revision = tonumber(ARGV[2])
    if ARGV[3] == 'deleted' then
      message.deleted = true
      message.text = ''
    else
      message.text = ARGV[4]
      message.editedAt = ARGV[5]
    end
    redis.call('LSET', KEYS[1], i - 1, cjson.encode(message))
    return 1
  end
end
return 0
`;

/** Fills an empty cache from the database (read repair); never touches a cache that has entries. */
const REPAIR = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
for i = 3, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[1]), -1)
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** One write of the cache listener: a message appended, or an edit or delete applied to it. */
export type CacheWrite =
  { kind: 'append'; message: ChatMessage } | { kind: 'update'; update: MessageUpdate; changeKey: string };

// The scripts as commands: sent once, then run by their SHA (EVALSHA), alone or in a pipeline.
declare module 'ioredis' {
  interface RedisCommander<Context> {
    chatRecentAppend(
      list: string,
      json: string,
      position: number,
      messageId: string,
      maxLength: number,
      ttlSeconds: number,
    ): Result<number, Context>;
    chatRecentUpdate(
      list: string,
      changes: string,
      messageId: string,
      position: number,
      change: string,
      text: string,
      at: string,
      changeKey: string,
      ttlSeconds: number,
    ): Result<number, Context>;
  }
}

/** `chat:recent:{roomId}`: the newest messages of a room, contiguous in its order, 7 days. */
export class RecentCache {
  constructor(
    private readonly redis: Redis,
    private readonly maxLength: number,
  ) {
    redis.defineCommand('chatRecentAppend', { numberOfKeys: 1, lua: APPEND });
    redis.defineCommand('chatRecentUpdate', { numberOfKeys: 2, lua: UPDATE });
  }

  /** Applies the writes in order, in one pipeline (one round trip); throws if any of them failed. */
  async write(writes: readonly CacheWrite[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const write of writes) {
      if (write.kind === 'append') {
        const { message } = write;
        pipeline.chatRecentAppend(
          recentKey(message.roomId),
          JSON.stringify(message),
          message.position,
          message.messageId,
          this.maxLength,
          TTL_SECONDS,
        );
      } else {
        const { update, changeKey } = write;
        pipeline.chatRecentUpdate(
          recentKey(update.roomId),
          changesKey(update.roomId),
          update.messageId,
          update.position,
          update.change,
          update.text ?? '',
          update.at,
          changeKey,
          TTL_SECONDS,
        );
      }
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
  }

  /** Every cached message of the room, oldest first. */
  async read(roomId: string): Promise<ChatMessage[]> {
    const items = await this.redis.lrange(recentKey(roomId), 0, -1);
    return items.map((item) => JSON.parse(item) as ChatMessage);
  }

  async repair(roomId: string, messages: readonly ChatMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.redis.eval(
      REPAIR,
      1,
      recentKey(roomId),
      this.maxLength,
      TTL_SECONDS,
      ...messages.map((message) => JSON.stringify(message)),
    );
  }
}
