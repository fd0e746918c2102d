/**
 * The recent-history cache `chat:recent:{roomId}`: the newest messages of a
 * room, contiguous in its order. The gateway reads it (history pages,
 * catch-up, unread counts) and repairs an empty one from MongoDB; one small
 * consumer group writes it from the messages topic.
 *
 *   const cache = new RecentCache(redis, 200);
 *   await new RecentCacheWriter(cache, { groupId: 'chat-recent-cache', topic: TOPICS.messages, logger }).start();
 *   const newest = await cache.read(roomId);
 */
export { RecentCache, recentKey, type CacheWrite } from './recent-cache.js';
export { RecentCacheWriter, type RecentCacheWriterOptions } from './writer.js';
