import { socketRoom, type ChatServer } from './handlers.js';

/**
 * This instance's live stream of the room lost records: its sockets here
 * leave it (they must not see what follows a hole as if it were next) and
 * are told to resume the room, which catches them up from their own last
 * position and puts them back.
 */
export function resyncRoom(io: ChatServer, roomId: string): void {
  const room = socketRoom(roomId);
  io.local.to(room).emit('resync', { roomId });
  io.local.in(room).socketsLeave(room);
}
