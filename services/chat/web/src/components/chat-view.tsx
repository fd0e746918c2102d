import { useEffect, useState } from 'preact/hooks';
import type { ChatClient, RoomState } from '../chat-client.js';
import { typingLine } from '../format.js';
import { Composer } from './composer.js';
import { Invite } from './invite.js';
import { MessageList } from './message-list.js';

export function ChatView(props: {
  client: ChatClient;
  room: RoomState;
  online: Record<string, boolean>;
  me: string;
}) {
  const { client, room, me } = props;
  const roomId = room.summary.roomId;
  const [members, setMembers] = useState<string[]>([]);
  const loadMembers = () =>
    client.api.getRoom(roomId).then(
      (view) => setMembers(view.members.map((member) => member.userId)),
      () => undefined,
    );
  useEffect(() => {
    void loadMembers();
  }, [roomId, room.summary.memberCount]);

  return (
    <section class="chat-view" aria-labelledby="room-title">
      <header class="chat-header">
        <h2 id="room-title">{room.summary.name}</h2>
        <ul class="members" aria-label="Members">
          {members.map((userId) => {
            const online = userId === me || props.online[userId] === true;
            return (
              <li key={userId} data-user-id={userId} data-online={online}>
                <span class={online ? 'dot online' : 'dot'} aria-hidden="true" />
                {client.nameOf(userId)}
                <span class="visually-hidden">{online ? ' (online)' : ''}</span>
              </li>
            );
          })}
        </ul>
        <Invite client={client} roomId={roomId} onInvited={loadMembers} />
      </header>
      <MessageList client={client} room={room} me={me} />
      <p class="typing" aria-live="polite" data-testid="typing">
        {typingLine(room.typing.map((userId) => client.nameOf(userId)))}
      </p>
      <Composer client={client} roomId={roomId} />
    </section>
  );
}
