/** What operators' tools (chatctl) need to change an outbox safely: the same lock the service takes. */
export { createMutex, type Mutex } from './db/mutex.js';
export { roomLockKey } from './rooms/room-store.js';
export { RoomError } from './errors.js';
