import type { ChatClient, ChatState } from '../chat-client.js';
import { badgeText, type UnreadBadge } from '../notifications/unread.js';

export function RoomList(props: {
  client: ChatClient;
  state: ChatState;
  counts: Record<string, UnreadBadge>;
  onOpen: (roomId: string) => void;
}) {
  const { client } = props;
  const rooms = Object.values(props.state.rooms)
    .map((room) => ({ room, title: client.titleOf(room) }))
    .sort((a, b) => a.title.localeCompare(b.title));
  if (rooms.length === 0) return <p class="hint">No rooms yet.</p>;
  return (
    <nav aria-label="Your rooms">
      <ul class="room-list">
        {rooms.map(({ room, title }) => {
          const roomId = room.summary.roomId;
          const current = roomId === props.state.activeRoomId;
          const badge = props.counts[roomId];
          return (
            <li key={roomId}>
              <button
                type="button"
                class={current ? 'room current' : 'room'}
                aria-current={current ? 'page' : undefined}
                data-room-id={roomId}
                data-kind={room.summary.kind}
                onClick={() => props.onOpen(roomId)}
              >
                <span class="room-name">{title}</span>
                {badge && badge.mentions > 0 && (
                  <span class="badge mention" aria-label={`${badge.mentions} mentioning you`}>
                    @{badge.mentions}
                  </span>
                )}
                {badge && badge.count > 0 && (
                  <span class="badge" aria-label={`${badgeText(badge)} unread`}>
                    {badgeText(badge)}
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
