/**
 * The stored room, shared by whoever reads or writes it: the room service
 * (its owner and only writer of rooms), the membership view (reads who is in
 * a room), and the ops CLI (requeues dead outbox entries under the same lock).
 */
export {
  OUTBOX_STATUSES,
  VISIBLE_STATUSES,
  roomLockKey,
  roomModel,
  type Member,
  type OutboxEntry,
  type OutboxStatus,
  type RoomDoc,
  type RoomModel,
} from './room-model.js';
export {
  membershipId,
  membershipModel,
  type MembershipDoc,
  type MembershipModel,
} from './membership-model.js';
export { directPairKey, directRoomId } from './direct-pair.js';
export { createMutex, LockBusyError, type Mutex, type MutexOptions } from './mutex.js';
export {
  findEntries,
  requeueDead,
  roomOutboxes,
  type EntryFilter,
  type FoundEntry,
  type RoomOutbox,
} from './outbox-admin.js';
