import type { ChatState } from '../chat-client.js';
import { unreadCount } from '../room-state.js';

export function RoomList(props: { state: ChatState; me: string; onOpen: (roomId: string) => void }) {
  const rooms = Object.values(props.state.rooms).sort((a, b) => a.summary.name.localeCompare(b.summary.name));
  if (rooms.length === 0) return <p class="hint">No rooms yet.</p>;
  return (
    <nav aria-label="Your rooms">
      <ul class="room-list">
        {rooms.map((room) => {
          const current = room.summary.roomId === props.state.activeRoomId;
          // The open room is being read: its count would only flicker until the read marker moves.
          const unread = current ? 0 : unreadCount(room.messages, room.lastRead, props.me);
          return (
            <li key={room.summary.roomId}>
              <button
                type="button"
                class={current ? 'room current' : 'room'}
                aria-current={current ? 'page' : undefined}
                data-room-id={room.summary.roomId}
                onClick={() => props.onOpen(room.summary.roomId)}
              >
                <span class="room-name">{room.summary.name}</span>
                {unread > 0 && (
                  <span class="badge" aria-label={`${unread} unread`}>
                    {unread}
                    {room.hasOlder && unread === room.messages.length ? '+' : ''}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
