import { useState } from 'preact/hooks';
import type { ChatClient } from '../chat-client.js';

/**
 * One person, typed by handle with suggestions as you type (accounts) or by
 * name (development sign-in), then `onPick` with their user id. Invitations
 * and direct messages both start here.
 */
export function PersonPicker(props: {
  client: ChatClient;
  id: string;
  suggestionsId: string;
  label: string;
  action: string;
  onPick: (userId: string) => Promise<void>;
}) {
  const [typed, setTyped] = useState('');
  const [suggestions, setSuggestions] = useState<{ handle: string; displayName: string }[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const accounts = Boolean(props.client.identity);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      const [userId] = await props.client.userIdsFor(typed);
      if (!userId) return setError(accounts ? 'Type a handle.' : 'Type a name with letters or digits.');
      await props.onPick(userId);
      setTyped('');
      setSuggestions([]);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const onInput = (value: string) => {
    setTyped(value);
    if (accounts) void props.client.suggest(value).then(setSuggestions);
  };
  return (
    <form class="person-picker" onSubmit={submit}>
      <label for={props.id} class="visually-hidden">
        {props.label}
      </label>
      <input
        id={props.id}
        value={typed}
        placeholder={props.label}
        list={props.suggestionsId}
        autoComplete="off"
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      <datalist id={props.suggestionsId}>
        {suggestions.map((user) => (
          <option key={user.handle} value={user.handle}>
            {user.displayName}
          </option>
        ))}
      </datalist>
      <button type="submit" disabled={busy}>
        {props.action}
      </button>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </form>
  );
}
