import { useState } from 'preact/hooks';
import type { ChatClient } from '../chat-client.js';
import { userIdFromName } from '../identity.js';

export function Invite(props: { client: ChatClient; roomId: string; onInvited: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const userId = userIdFromName(name);
    if (!userId) return setError('Type a name with letters or digits.');
    try {
      await props.client.api.addMember(props.roomId, userId);
      setName('');
      props.onInvited();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <form class="invite" onSubmit={submit}>
      <label for="invite-name" class="visually-hidden">
        Invite by name
      </label>
      <input
        id="invite-name"
        value={name}
        placeholder="Invite by name"
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <button type="submit">Invite</button>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </form>
  );
}
