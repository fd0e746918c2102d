import { createHash } from 'node:crypto';

/**
 * The one direct room of two people: its key is the sorted pair, so it is
 * the same whichever of them asks, and the room's `_id` is derived from it.
 * Inserting a unique `_id` is atomic on FerretDB and MongoDB alike, so two
 * first creates, from either side and at once, cannot make two rooms.
 */
export function directPairKey(a: string, b: string): string {
  // A space never occurs in a user id, so no two pairs share a key.
  return [a, b].sort().join(' ');
}

/** The direct room's id: 24 hex characters, like every other room id. */
export function directRoomId(pairKey: string): string {
  return createHash('sha256').update(`direct-room\n${pairKey}`).digest('hex').slice(0, 24);
}
