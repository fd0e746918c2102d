import { useState } from 'preact/hooks';
import type { ChatClient } from '../chat-client.js';

/** Invite one person: by handle with suggestions as you type (accounts), or by name (development sign-in). */
export function Invite(props: { client: ChatClient; roomId: string; onInvited: () => void }) {
  const [typed, setTyped] = useState('');
  const [suggestions, setSuggestions] = useState<{ handle: string; displayName: string }[]>([]);
  const [error, setError] = useState<string>();
  const accounts = Boolean(props.client.identity);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      const [userId] = await props.client.userIdsFor(typed);
      if (!userId) return setError(accounts ? 'Type a handle.' : 'Type a name with letters or digits.');
      await props.client.api.addMember(props.roomId, userId);
      setTyped('');
      setSuggestions([]);
      props.onInvited();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const onInput = (value: string) => {
    setTyped(value);
    if (accounts) void props.client.suggest(value).then(setSuggestions);
  };
  const label = accounts ? 'Invite by handle' : 'Invite by name';
  return (
    <form class="invite" onSubmit={submit}>
      <label for="invite-name" class="visually-hidden">
        {label}
      </label>
      <input
        id="invite-name"
        value={typed}
        placeholder={label}
        list="invite-suggestions"
        autoComplete="off"
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      <datalist id="invite-suggestions">
        {suggestions.map((user) => (
          <option key={user.handle} value={user.handle}>
            {user.displayName}
          </option>
        ))}
      </datalist>
      <button type="submit">Invite</button>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </form>
  );
}
