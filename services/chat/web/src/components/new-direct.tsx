import type { ChatClient } from '../chat-client.js';
import { roomErrorText } from '../room-errors.js';
import { PersonPicker } from './person-picker.js';

/** Start (or find again) the conversation with one person: the room API's `direct` kind; the page opens whatever room it returns. */
export function NewDirect(props: { client: ChatClient }) {
  const { client } = props;
  return (
    <section class="new-direct" aria-labelledby="new-direct-title">
      <h2 id="new-direct-title">Direct message</h2>
      <PersonPicker
        client={client}
        id="direct-name"
        suggestionsId="direct-suggestions"
        label={client.identity ? 'Message someone by handle' : 'Message someone by name'}
        action="Message"
        onPick={async (userId) => {
          if (userId === client.session.userId) throw new Error('Pick someone other than yourself.');
          const room = await client.api.createDirect(userId, crypto.randomUUID()).catch((error: unknown) => {
            throw new Error(roomErrorText(error).text);
          });
          await client.roomCreated(room.roomId);
        }}
      />
    </section>
  );
}
