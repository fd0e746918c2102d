/**
 * Redis keys of the membership view. The braces are Redis Cluster hash
 * tags: a room's set and state land on one slot, so the script that
 * replaces them together runs on a cluster too.
 */
export const viewKeys = {
  /** SET of the room's member user ids. */
  roomMembers: (roomId: string): string => `room:{${roomId}}:members`,
  /** HASH {version, status} of the room as last loaded; `status: missing` caches "no such room" briefly. */
  roomState: (roomId: string): string => `room:{${roomId}}:state`,
  /** SET of the members blocked from sending (absent when nobody is). */
  roomBlockedSenders: (roomId: string): string => `room:{${roomId}}:blocked-senders`,
  /** SET of the room's owners and admins: who may delete anyone's message (absent when nobody is). */
  roomModerators: (roomId: string): string => `room:{${roomId}}:moderators`,
  /** SET of the user's room ids, plus a marker so "no rooms" is cached too. */
  userRooms: (userId: string): string => `user:{${userId}}:rooms`,
};

/** Never a valid room id (ids cannot contain `#`), so it cannot be mistaken for one. */
export const EMPTY_MARKER = '#';
