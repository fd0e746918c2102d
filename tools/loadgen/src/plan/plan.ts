/**
 * Who is in which room and who sends which message: a pure function of the
 * options, so a run is reproducible and the schedule needs no lookups.
 */
export interface RoomPlan {
  /** Indexes of the member users; the first one creates the room. */
  members: number[];
}

/**
 * Room r holds users r·m … r·m+m−1 (mod users): every user gets rooms, no
 * room repeats a user. With `groups` > 1 (users i ≡ g mod groups form group
 * g, as sockets are spread over gateways round-robin), room r's members all
 * come from group r mod groups: each room's members sit on one gateway.
 */
export function planRooms(users: number, rooms: number, membersPerRoom: number, groups = 1): RoomPlan[] {
  const groupSize = Math.floor(users / groups);
  if (membersPerRoom > groupSize) throw new RangeError('membersPerRoom cannot exceed the users of a group');
  return Array.from({ length: rooms }, (_, room) => {
    const group = room % groups;
    const nth = Math.floor(room / groups);
    return {
      members: Array.from(
        { length: membersPerRoom },
        (_, slot) => ((nth * membersPerRoom + slot) % groupSize) * groups + group,
      ),
    };
  });
}

/** The rooms each user is in, by user index. */
export function roomsOfUsers(users: number, plan: readonly RoomPlan[]): number[][] {
  const rooms: number[][] = Array.from({ length: users }, () => []);
  plan.forEach(({ members }, room) => members.forEach((user) => rooms[user]!.push(room)));
  return rooms;
}

/** Message i goes to room i mod rooms, sent by that room's members in turn. */
export function senderOf(index: number, plan: readonly RoomPlan[]): { room: number; user: number } {
  const room = index % plan.length;
  const { members } = plan[room]!;
  return { room, user: members[Math.floor(index / plan.length) % members.length]! };
}
