/**
 * Replaces a room's member set, blocked-sender set and state unless the
 * cached version is as new or newer, so two gateway instances refreshing the
 * same room at once cannot leave the older snapshot behind. Returns the
 * previous members, or nil when nothing was replaced.
 * KEYS: members set, state hash, blocked set.
 * ARGV: version, status, ttl seconds, blocked count, blocked ids..., member ids...
 */
export const REPLACE_ROOM = `
local current = tonumber(redis.call('HGET', KEYS[2], 'version') or '-2')
if current >= tonumber(ARGV[1]) then return nil end
local previous = redis.call('SMEMBERS', KEYS[1])
local blocked = tonumber(ARGV[4])
redis.call('DEL', KEYS[1], KEYS[3])
if blocked > 0 then redis.call('SADD', KEYS[3], unpack(ARGV, 5, 4 + blocked)) end
if #ARGV > 4 + blocked then redis.call('SADD', KEYS[1], unpack(ARGV, 5 + blocked)) end
redis.call('HSET', KEYS[2], 'version', ARGV[1], 'status', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
if blocked > 0 then redis.call('EXPIRE', KEYS[3], ARGV[3]) end
return previous
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
