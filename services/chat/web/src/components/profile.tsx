import { useState } from 'preact/hooks';
import type { ChatClient } from '../chat-client.js';
import { remember } from '../session.js';

/** Who I am: my display name (renamed here), and signing out of this session or every one. */
export function Profile(props: {
  client: ChatClient;
  onSignOut: () => void;
  onSignOutEverywhere: () => void;
}) {
  const { client } = props;
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(client.session.name);
  const [error, setError] = useState<string>();
  const identity = client.identity;
  const rename = async (event: Event) => {
    event.preventDefault();
    if (!identity) return;
    setError(undefined);
    try {
      const user = await identity.rename(client.session.token, name);
      client.names.learned(user);
      remember(Object.assign(client.session, { name: user.displayName }));
      setOpen(false);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <span class="profile">
      <button type="button" class="link me" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class="dot online" aria-hidden="true" /> {client.session.name}
        {client.session.handle && <span class="handle"> @{client.session.handle}</span>}
      </button>
      {open && (
        <div class="profile-panel" role="dialog" aria-label="Profile">
          {identity && (
            <form onSubmit={rename}>
              <label for="profile-display-name">Display name</label>
              <input
                id="profile-display-name"
                required
                maxLength={100}
                value={name}
                onInput={(event) => setName(event.currentTarget.value)}
              />
              <button type="submit">Save</button>
            </form>
          )}
          {identity && (
            <button type="button" class="link" onClick={props.onSignOutEverywhere}>
              Sign out everywhere
            </button>
          )}
          {error && (
            <p role="alert" class="error">
              {error}
            </p>
          )}
        </div>
      )}
      <button type="button" class="link" onClick={props.onSignOut}>
        Sign out
      </button>
    </span>
  );
}
