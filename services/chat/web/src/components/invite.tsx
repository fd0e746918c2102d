import type { ChatClient } from '../chat-client.js';
import { roomErrorText } from '../room-errors.js';
import { PersonPicker } from './person-picker.js';

/** Invite one person: by handle with suggestions as you type (accounts), or by name (development sign-in). */
export function Invite(props: { client: ChatClient; roomId: string; onInvited: () => void }) {
  return (
    <PersonPicker
      client={props.client}
      id="invite-name"
      suggestionsId="invite-suggestions"
      label={props.client.identity ? 'Invite by handle' : 'Invite by name'}
      action="Invite"
      onPick={async (userId) => {
        await props.client.api.addMember(props.roomId, userId).catch((error: unknown) => {
          throw new Error(roomErrorText(error).text);
        });
        props.onInvited();
      }}
    />
  );
}
