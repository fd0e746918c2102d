import type { Redis } from 'ioredis';
import type { AnyEvent } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import { EMPTY_MARKER, viewKeys } from './keys.js';
import { MARK_MISSING, READ_ACCESS, REPLACE_ROOM, UPDATE_USER_ROOMS } from './scripts.js';
import type { MembershipSource, RoomSnapshot } from './source.js';

export type RoomEvent = Extract<AnyEvent, { type: `room.${string}` }>;

/** What a gateway instance hears after the view has taken a room event in. */
export interface RoomChangeNotice {
  roomId: string;
  event: RoomEvent;
  /** People the event removed who are not back in the room: a gateway drops their sockets from it at once. */
  removedUserIds: string[];
  /** People the event added (or created the room with) who are still in it. */
  addedUserIds: string[];
}

/** Whether a user may send to a room, and if not, why (each has its own error code). */
export type SendAccess = 'allowed' | 'not-member' | 'read-only' | 'blocked';

export type RoomChangeListener = (notice: RoomChangeNotice) => void | Promise<void>;

export interface MembershipView {
  /** May read the room: a member of an active or archived room. Redis first, MongoDB on a miss. */
  isMember(roomId: string, userId: string): Promise<boolean>;
  /** May write to the room: a member of an active room whom nobody blocked from sending. */
  sendAccess(roomId: string, userId: string): Promise<SendAccess>;
  membersOf(roomId: string): Promise<string[]>;
  /** An owner or admin of a readable room: may delete anyone's message. Redis first, MongoDB on a miss. */
  mayModerate(roomId: string, userId: string): Promise<boolean>;
  roomsOf(userId: string): Promise<string[]>;
  /** Reloads a room from MongoDB into Redis (never over a newer cached version). */
  refresh(roomId: string): Promise<RoomSnapshot | null>;
  /** Takes one room event in: refreshes the room, then tells the listeners. Other events are ignored. */
  apply(event: AnyEvent): Promise<void>;
  /** Returns the unsubscribe function. */
  onChange(listener: RoomChangeListener): () => void;
}

export interface MembershipViewOptions {
  redis: Redis;
  source: MembershipSource;
  logger: Logger;
  /** Lifetime of cached rooms and user lists: a bound on any drift. @defaultValue 86400 */
  ttlSeconds?: number;
  /** Lifetime of a cached "no such room". @defaultValue 30 */
  missingTtlSeconds?: number;
}

interface ViewCommands {
  membershipViewReplaceRoom(
    members: string,
    state: string,
    blockedSenders: string,
    moderators: string,
    ...args: (string | number)[]
  ): Promise<string[] | null>;
  membershipViewMarkMissing(state: string, ttl: number): Promise<number>;
  membershipViewReadAccess(
    state: string,
    members: string,
    blocked: string,
    userId: string,
  ): Promise<[status: string, member: number, blocked: number] | null>;
  membershipViewUpdateUserRooms(key: string, action: 'add' | 'remove', roomId: string): Promise<number>;
}

function withCommands(redis: Redis): Redis & ViewCommands {
  const commands = redis as Redis & ViewCommands;
  if (typeof commands.membershipViewReplaceRoom !== 'function') {
    redis.defineCommand('membershipViewReplaceRoom', { numberOfKeys: 4, lua: REPLACE_ROOM });
    redis.defineCommand('membershipViewMarkMissing', { numberOfKeys: 1, lua: MARK_MISSING });
    redis.defineCommand('membershipViewReadAccess', { numberOfKeys: 3, lua: READ_ACCESS });
    redis.defineCommand('membershipViewUpdateUserRooms', { numberOfKeys: 1, lua: UPDATE_USER_ROOMS });
  }
  return commands;
}

const isRoomEvent = (event: AnyEvent): event is RoomEvent => event.type.startsWith('room.');

/**
 * Who is in which room, for the chat gateway: a Redis copy of the room
 * service's MongoDB truth. Each room event makes the view reload that room
 * from MongoDB (rather than apply the event as a delta), so a lost, late or
 * repeated event cannot leave it wrong; versions stop an older reload from
 * overwriting a newer one. When Redis fails, answers come from MongoDB.
 */
export function createMembershipView(options: MembershipViewOptions): MembershipView {
  const { source, logger } = options;
  const redis = withCommands(options.redis);
  const ttl = options.ttlSeconds ?? 86_400;
  const missingTtl = options.missingTtlSeconds ?? 30;
  const listeners = new Set<RoomChangeListener>();
  const log = logger.child({ component: 'membership-view' });
  // One warning per Redis outage, not one per membership check.
  let redisDown = false;
  const redisFailed = (error: unknown, what: string) => {
    if (!redisDown)
      log.warn({ err: error }, `Redis unavailable (${what}); answering from MongoDB until it is back`);
    redisDown = true;
  };
  const redisOk = () => {
    if (redisDown) log.info('Redis is back for the membership view');
    redisDown = false;
  };

  async function store(roomId: string, snapshot: RoomSnapshot | null): Promise<void> {
    if (!snapshot) {
      await redis.membershipViewMarkMissing(viewKeys.roomState(roomId), missingTtl);
      return;
    }
    const previous = await redis.membershipViewReplaceRoom(
      viewKeys.roomMembers(roomId),
      viewKeys.roomState(roomId),
      viewKeys.roomBlockedSenders(roomId),
      viewKeys.roomModerators(roomId),
      snapshot.version,
      snapshot.status,
      ttl,
      snapshot.blockedSenderIds.length,
      snapshot.moderatorIds.length,
      ...snapshot.blockedSenderIds,
      ...snapshot.moderatorIds,
      ...snapshot.memberIds,
    );
    if (!previous) return;
    const now = new Set(snapshot.memberIds);
    const before = new Set(previous);
    await updateUserRooms(
      roomId,
      snapshot.memberIds.filter((userId) => !before.has(userId)),
      previous.filter((userId) => !now.has(userId)),
    );
  }

  async function updateUserRooms(roomId: string, added: string[], removed: string[]): Promise<void> {
    if (added.length === 0 && removed.length === 0) return;
    const pipeline = redis.pipeline();
    for (const userId of added) {
      (pipeline as unknown as ViewCommands).membershipViewUpdateUserRooms(
        viewKeys.userRooms(userId),
        'add',
        roomId,
      );
    }
    for (const userId of removed) {
      (pipeline as unknown as ViewCommands).membershipViewUpdateUserRooms(
        viewKeys.userRooms(userId),
        'remove',
        roomId,
      );
    }
    await pipeline.exec();
  }

  async function refresh(roomId: string): Promise<RoomSnapshot | null> {
    const snapshot = await source.loadRoom(roomId);
    await store(roomId, snapshot).then(redisOk, (error: unknown) => redisFailed(error, 'caching a room'));
    return snapshot;
  }

  interface Access {
    status: string;
    member: boolean;
    blocked: boolean;
  }

  /** The cached answer, or undefined on a miss or a Redis failure. One script: one command and one reply for the three reads. */
  async function cached(roomId: string, userId: string): Promise<Access | undefined> {
    try {
      const found = await redis.membershipViewReadAccess(
        viewKeys.roomState(roomId),
        viewKeys.roomMembers(roomId),
        viewKeys.roomBlockedSenders(roomId),
        userId,
      );
      redisOk();
      if (!found) return undefined;
      const [status, member, blocked] = found;
      return { status, member: member === 1, blocked: blocked === 1 };
    } catch (error) {
      redisFailed(error, 'reading a room');
      return undefined;
    }
  }

  async function access(roomId: string, userId: string): Promise<Access> {
    const hit = await cached(roomId, userId);
    if (hit) return hit;
    const snapshot = await refresh(roomId);
    return snapshot
      ? {
          status: snapshot.status,
          member: snapshot.memberIds.includes(userId),
          blocked: snapshot.blockedSenderIds.includes(userId),
        }
      : { status: 'missing', member: false, blocked: false };
  }

  return {
    async isMember(roomId, userId) {
      const { status, member } = await access(roomId, userId);
      return member && (status === 'active' || status === 'archived');
    },

    async sendAccess(roomId, userId) {
      const { status, member, blocked } = await access(roomId, userId);
      if (!member || (status !== 'active' && status !== 'archived')) return 'not-member';
      if (status === 'archived') return 'read-only';
      return blocked ? 'blocked' : 'allowed';
    },

    async mayModerate(roomId, userId) {
      try {
        const [state, moderator] = (await redis
          .multi()
          .hmget(viewKeys.roomState(roomId), 'status', 'roles')
          .sismember(viewKeys.roomModerators(roomId), userId)
          .exec()) as [[Error | null, (string | null)[]], [Error | null, number]];
        redisOk();
        const [status, roles] = state[1] ?? [];
        if (!state[0] && !moderator[0] && status && roles)
          return moderator[1] === 1 && (status === 'active' || status === 'archived');
      } catch (error) {
        redisFailed(error, 'reading a room');
      }
      const snapshot = await refresh(roomId);
      return snapshot?.moderatorIds.includes(userId) ?? false;
    },

    async membersOf(roomId) {
      try {
        const [state, members] = (await redis
          .multi()
          .hget(viewKeys.roomState(roomId), 'status')
          .smembers(viewKeys.roomMembers(roomId))
          .exec()) as [[Error | null, string | null], [Error | null, string[]]];
        redisOk();
        if (!state[0] && !members[0] && state[1] !== null) return state[1] === 'missing' ? [] : members[1];
      } catch (error) {
        redisFailed(error, 'reading a room');
      }
      return (await refresh(roomId))?.memberIds ?? [];
    },

    async roomsOf(userId) {
      const key = viewKeys.userRooms(userId);
      const rooms = await redis.smembers(key).catch((error: unknown) => {
        redisFailed(error, 'reading a user');
        return [] as string[];
      });
      if (rooms.length > 0) return rooms.filter((roomId) => roomId !== EMPTY_MARKER);
      const loaded = await source.loadRoomsOf(userId);
      await redis
        .multi()
        .del(key)
        .sadd(key, EMPTY_MARKER, ...loaded)
        .expire(key, ttl)
        .exec()
        .catch((error: unknown) => redisFailed(error, 'caching a user'));
      return loaded;
    },

    refresh,

    async apply(event) {
      if (!isRoomEvent(event)) return;
      const { roomId } = event.payload;
      const snapshot = await refresh(roomId);
      // Judged against the room as it is now, so a late or repeated event cannot undo a newer change.
      const current = new Set(snapshot?.memberIds ?? []);
      const named =
        event.type === 'room.created'
          ? event.payload.memberIds
          : event.type === 'room.member.added' || event.type === 'room.member.removed'
            ? [event.payload.userId]
            : [];
      const addedUserIds = named.filter((userId) => current.has(userId));
      const removedUserIds = named.filter((userId) => !current.has(userId));
      // Also covers a room that was not cached, where the refresh had nothing to diff against.
      await updateUserRooms(roomId, addedUserIds, removedUserIds).catch((error: unknown) =>
        redisFailed(error, 'updating user room lists'),
      );
      const notice: RoomChangeNotice = { roomId, event, removedUserIds, addedUserIds };
      for (const listener of listeners) {
        try {
          await listener(notice);
        } catch (error) {
          log.error({ err: error, roomId, eventId: event.eventId }, 'room change listener failed');
        }
      }
    },

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
