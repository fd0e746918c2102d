/**
 * Replaces a room's member set, blocked-sender set, moderator set and state
 * unless the cached version is as new or newer, so two gateway instances
 * refreshing the same room at once cannot leave the older snapshot behind.
 * A state cached before moderators were kept (no `roles` field) is replaced
 * whatever its version. Returns the previous members, or nil when nothing
 * was replaced.
 * KEYS: members set, state hash, blocked set, moderators set.
 * ARGV: version, status, ttl seconds, blocked count, moderator count,
 * blocked ids..., moderator ids..., member ids...
 */
export const REPLACE_ROOM = `
local current = tonumber(redis.call('HGET', KEYS[2], 'version') or '-2')
if current >= tonumber(ARGV[1]) and redis.call('HEXISTS', KEYS[2], 'roles') == 1 then return nil end
local previous = redis.call('SMEMBERS', KEYS[1])
local blocked = tonumber(ARGV[4])
local moderators = tonumber(ARGV[5])
redis.call('DEL', KEYS[1], KEYS[3], KEYS[4])
if blocked > 0 then redis.call('SADD', KEYS[3], unpack(ARGV, 6, 5 + blocked)) end
if moderators > 0 then redis.call('SADD', KEYS[4], unpack(ARGV, 6 + blocked, 5 + blocked + moderators)) end
if #ARGV > 5 + blocked + moderators then redis.call('SADD', KEYS[1], unpack(ARGV, 6 + blocked + moderators)) end
redis.call('HSET', KEYS[2], 'version', ARGV[1], 'status', ARGV[2], 'roles', '1')
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
if blocked > 0 then redis.call('EXPIRE', KEYS[3], ARGV[3]) end
if moderators > 0 then redis.call('EXPIRE', KEYS[4], ARGV[3]) end
return previous
`;

/**
 * What a send or a read needs to know of a room for one user, in one
 * command: the room's status and whether the user is a member and blocked
 * from sending; nil when the room is not cached.
 * KEYS: state hash, members set, blocked set. ARGV: user id.
 */
export const READ_ACCESS = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return nil end
return { status, redis.call('SISMEMBER', KEYS[2], ARGV[1]), redis.call('SISMEMBER', KEYS[3], ARGV[1]) }
`;

/**
 * Caches "no such room" briefly, unless something is cached already (a
 * real room is never overwritten by a miss).
 * KEYS: state hash. ARGV: ttl seconds.
 */
export const MARK_MISSING = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'version', '-1', 'status', 'missing')
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
`;

/**
 * Adds or removes one room in a user's set only when the set is cached:
 * a partial set must never pass for the user's complete list.
 * KEYS: user rooms set. ARGV: 'add' | 'remove', room id.
 */
export const UPDATE_USER_ROOMS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] == 'add' then return redis.call('SADD', KEYS[1], ARGV[2]) end
return redis.call('SREM', KEYS[1], ARGV[2])
`;
