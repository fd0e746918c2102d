import type { RoomView } from '@chat/contracts';
import { useEffect, useState } from 'preact/hooks';
import type { ChatClient, RoomState } from '../chat-client.js';
import { roomErrorText } from '../room-errors.js';
import { canLeave, canModerate, canRename, type RoomAccess } from '../rooms/permissions.js';

/** The room as the room service shows it, reloaded whenever the listed summary changes (rename, members, blocks). */
export function useRoomView(client: ChatClient, room: RoomState): [RoomView | undefined, () => void] {
  const [view, setView] = useState<RoomView>();
  const roomId = room.summary.roomId;
  const load = () => {
    client.api.getRoom(roomId).then(setView, () => undefined);
  };
  useEffect(load, [roomId, room.summary.memberCount, room.summary.updatedAt]);
  return [view, load];
}

export function accessOf(view: RoomView | undefined, room: RoomState, me: string): RoomAccess {
  const role = view?.members.find((member) => member.userId === me)?.role ?? room.summary.role;
  return { kind: room.summary.kind, status: view?.status ?? room.summary.status, role };
}

interface Refusal {
  text: string;
  code?: string;
}

/** A refusal of the room service, with its code, where the person acted. */
export function RefusalLine(props: { refusal: Refusal | undefined }) {
  if (!props.refusal) return null;
  return (
    <p role="alert" class="error" data-code={props.refusal.code}>
      {props.refusal.text}
    </p>
  );
}

/** Runs a room-service call, keeping its refusal for the RefusalLine. */
export function useRoomAction(): [Refusal | undefined, (work: () => Promise<unknown>) => Promise<void>] {
  const [refusal, setRefusal] = useState<Refusal>();
  const run = async (work: () => Promise<unknown>) => {
    setRefusal(undefined);
    try {
      await work();
    } catch (error) {
      setRefusal(roomErrorText(error));
    }
  };
  return [refusal, run];
}

/** Rename (owners and admins) and leave (everyone but the owner), for group rooms. */
export function RoomManage(props: {
  client: ChatClient;
  room: RoomState;
  access: RoomAccess;
  onChanged: () => void;
}) {
  const { client, room, access } = props;
  const roomId = room.summary.roomId;
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(room.summary.name);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [refusal, run] = useRoomAction();
  const rename = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      await client.api.rename(roomId, name.trim());
      setRenaming(false);
      await client.refreshRooms();
      props.onChanged();
    });
  };
  return (
    <div class="room-manage">
      {canRename(access) &&
        (renaming ? (
          <form class="rename" onSubmit={rename}>
            <label for="rename-room" class="visually-hidden">
              New room name
            </label>
            <input
              id="rename-room"
              required
              maxLength={100}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
            <button type="submit">Save name</button>
            <button type="button" class="link" onClick={() => setRenaming(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setName(room.summary.name);
              setRenaming(true);
            }}
          >
            Rename
          </button>
        ))}
      {canLeave(access) &&
        (confirmLeave ? (
          <span class="confirm">
            Leave this room?{' '}
            <button type="button" class="danger" onClick={() => void run(() => client.leave(roomId))}>
              Leave now
            </button>
            <button type="button" class="link" onClick={() => setConfirmLeave(false)}>
              Stay
            </button>
          </span>
        ) : (
          <button type="button" class="secondary" onClick={() => setConfirmLeave(true)}>
            Leave room
          </button>
        ))}
      <RefusalLine refusal={refusal} />
    </div>
  );
}

/** The members with who is online, and for moderators, remove and block/unblock per person. */
export function MemberList(props: {
  client: ChatClient;
  view: RoomView | undefined;
  access: RoomAccess;
  online: Record<string, boolean>;
  me: string;
  onChanged: () => void;
}) {
  const { client, view, access, me } = props;
  const [refusal, run] = useRoomAction();
  if (!view) return null;
  const roomId = view.roomId;
  const act = (work: () => Promise<unknown>) =>
    void run(async () => {
      await work();
      props.onChanged();
    });
  return (
    <div class="member-area">
      <ul class="members" aria-label="Members">
        {view.members.map((member) => {
          const online = member.userId === me || props.online[member.userId] === true;
          const name = client.nameOf(member.userId);
          return (
            <li
              key={member.userId}
              data-user-id={member.userId}
              data-online={online}
              data-blocked={member.sendBlocked}
            >
              <span class={online ? 'dot online' : 'dot'} aria-hidden="true" />
              {name}
              <span class="visually-hidden">{online ? ' (online)' : ''}</span>
              {access.kind === 'group' && member.role !== 'member' && (
                <span class="role"> {member.role}</span>
              )}
              {member.sendBlocked && <span class="role blocked"> blocked</span>}
              {canModerate(access, me, member) && (
                <span class="member-actions">
                  <button
                    type="button"
                    class="link"
                    aria-label={`${member.sendBlocked ? 'Unblock' : 'Block'} ${name}`}
                    onClick={() =>
                      act(() => client.api.setSenderBlocked(roomId, member.userId, !member.sendBlocked))
                    }
                  >
                    {member.sendBlocked ? 'Unblock' : 'Block'}
                  </button>
                  <button
                    type="button"
                    class="link"
                    aria-label={`Remove ${name}`}
                    onClick={() => act(() => client.api.removeMember(roomId, member.userId))}
                  >
                    Remove
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
      <RefusalLine refusal={refusal} />
    </div>
  );
}
