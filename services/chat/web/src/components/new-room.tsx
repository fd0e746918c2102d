import { useState } from 'preact/hooks';
import type { ChatClient } from '../chat-client.js';

/** Create a room and invite people by handle (accounts) or by name (development sign-in). */
export function NewRoom(props: { client: ChatClient }) {
  const [name, setName] = useState('');
  const [invite, setInvite] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const memberIds = (await props.client.userIdsFor(invite)).filter(
        (id) => id !== props.client.session.userId,
      );
      const room = await props.client.api.createRoom(name.trim(), memberIds, crypto.randomUUID());
      setName('');
      setInvite('');
      await props.client.roomCreated(room.roomId);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="new-room" onSubmit={submit} aria-labelledby="new-room-title">
      <h2 id="new-room-title">New room</h2>
      <label for="new-room-name">Room name</label>
      <input
        id="new-room-name"
        required
        maxLength={100}
        value={name}
        placeholder="e.g. Weekend plans"
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <label for="new-room-invite">
        {props.client.identity ? 'Invite (handles, comma separated)' : 'Invite (names, comma separated)'}
      </label>
      <input
        id="new-room-invite"
        value={invite}
        placeholder="e.g. Bob, Carol"
        onInput={(e) => setInvite(e.currentTarget.value)}
      />
      <button type="submit" disabled={busy}>
        Create room
      </button>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </form>
  );
}
