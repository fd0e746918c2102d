import type { Envelope } from '@chat/contracts';
import { isDuplicateKey } from '@chat/runtime';
import { membershipId, type MembershipDoc, type MembershipModel } from '@chat/room-store';

export interface MembershipChange {
  roomId: string;
  userId: string;
  status: MembershipDoc['status'];
  /** The room event that made the change (0 for the creation saga, before any event). */
  seq: number;
}

/**
 * Sets membership entries unless a newer room event already set them. The
 * filter `seq < change.seq` matches nothing when the entry is newer, so the
 * upsert tries an insert that fails on the `_id`: that duplicate-key error
 * means "already newer" and is not a failure.
 */
export async function applyMembershipChanges(
  memberships: MembershipModel,
  changes: readonly MembershipChange[],
  now = new Date(),
): Promise<void> {
  if (changes.length === 0) return;
  try {
    // Native bulk write: mongoose casting per document costs far more than the write on big rooms.
    await memberships.collection.bulkWrite(
      changes.map((change) => ({
        updateOne: {
          filter: { _id: membershipId(change.roomId, change.userId), seq: { $lt: change.seq } } as never,
          update: {
            $set: {
              roomId: change.roomId,
              userId: change.userId,
              status: change.status,
              seq: change.seq,
              updatedAt: now,
            },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/**
 * What a room event changes in the per-user index. `room.created` changes
 * nothing here: the creation saga wrote those entries (its "add
 * participants" step) before the room became visible.
 */
export function membershipChangesOf(seq: number, event: Envelope): MembershipChange[] {
  const payload = event.payload as { roomId: string; userId?: string };
  if (event.type === 'room.member.added' && payload.userId) {
    return [{ roomId: payload.roomId, userId: payload.userId, status: 'active', seq }];
  }
  if (event.type === 'room.member.removed' && payload.userId) {
    return [{ roomId: payload.roomId, userId: payload.userId, status: 'left', seq }];
  }
  return [];
}

/** Keeps the per-user index in step with a room's events; idempotent, and safe in any order. */
export async function projectMemberships(
  memberships: MembershipModel,
  entries: readonly { seq: number; event: Envelope }[],
  now = new Date(),
): Promise<void> {
  await applyMembershipChanges(
    memberships,
    entries.flatMap((entry) => membershipChangesOf(entry.seq, entry.event)),
    now,
  );
}
