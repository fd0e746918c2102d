import { socketRoom, type ChatServer } from './handlers.js';

/**
 * Whether a socket of this instance is in a room's live stream. The
 * Socket.IO adapter's room table is the one record of it: a socket enters
 * on `resume`, leaves when it disconnects or is removed from the room, and
 * the adapter forgets a room when its last socket has left.
 */
export function localRooms(io: ChatServer): (roomId: string) => boolean {
  return (roomId) => io.sockets.adapter.rooms.has(socketRoom(roomId));
}
