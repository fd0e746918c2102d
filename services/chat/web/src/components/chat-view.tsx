import type { ChatClient, RoomState } from '../chat-client.js';
import { canInvite } from '../rooms/permissions.js';
import { Composer } from './composer.js';
import { Invite } from './invite.js';
import { MessageList } from './message-list.js';
import { MemberList, RoomManage, accessOf, useRoomView } from './room-manage.js';
import { TypingLine } from './typing-line.js';

export function ChatView(props: {
  client: ChatClient;
  room: RoomState;
  online: Record<string, boolean>;
  me: string;
  onBack: () => void;
}) {
  const { client, room, me } = props;
  const roomId = room.summary.roomId;
  const [view, reload] = useRoomView(client, room);
  const access = accessOf(view, room, me);

  return (
    <section class="chat-view" aria-labelledby="room-title">
      <header class="chat-header">
        <button type="button" class="back link" onClick={props.onBack}>
          ← Rooms
        </button>
        <h2 id="room-title" tabIndex={-1}>
          {client.titleOf(room)}
        </h2>
        <RoomManage client={client} room={room} access={access} onChanged={reload} />
        <MemberList
          client={client}
          view={view}
          access={access}
          online={props.online}
          me={me}
          onChanged={reload}
        />
        {canInvite(access) && <Invite client={client} roomId={roomId} onInvited={reload} />}
      </header>
      <MessageList client={client} room={room} me={me} />
      <TypingLine names={room.typing.map((userId) => client.nameOf(userId))} />
      <Composer client={client} roomId={roomId} />
    </section>
  );
}
