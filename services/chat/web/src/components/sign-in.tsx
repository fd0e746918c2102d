import { useState } from 'preact/hooks';
import { devSignIn, type Session } from '../session.js';

export function SignIn(props: { devSignIn: boolean; onSignedIn: (session: Session) => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (!props.devSignIn) {
    return (
      <main class="sign-in">
        <h1>Chat</h1>
        <p role="alert">
          Development sign-in is switched off on this server, and no other sign-in is configured.
        </p>
      </main>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      props.onSignedIn(await devSignIn(name));
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>Chat</h1>
      <form onSubmit={submit}>
        <label for="sign-in-name">Your name</label>
        <input
          id="sign-in-name"
          name="name"
          autoComplete="username"
          required
          maxLength={64}
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
          autoFocus
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <p class="hint">
          Development sign-in: anyone may sign in by name. Others invite you by the same name.
        </p>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
