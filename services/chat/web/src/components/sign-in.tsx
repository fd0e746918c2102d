import { useState } from 'preact/hooks';
import type { WebClientConfig } from '@chat/contracts';
import type { IdentityApi } from '../identity-api.js';
import { accountSession, devSignIn, type Session } from '../session.js';

type Mode = 'sign-in' | 'sign-up';

/** Sign in or up with an account, by single sign-on, or (development only) by name. */
export function SignIn(props: {
  config: WebClientConfig;
  identity: IdentityApi | undefined;
  onSignedIn: (session: Session) => void;
}) {
  const { config, identity } = props;
  if (!identity && !config.devSignIn) {
    return (
      <main class="sign-in">
        <h1>Chat</h1>
        <p role="alert">No sign-in is configured on this server.</p>
      </main>
    );
  }
  return (
    <main class="sign-in">
      <h1>Chat</h1>
      {identity && <AccountForm identity={identity} onSignedIn={props.onSignedIn} />}
      {identity && config.ssoLabel && (
        <p class="sso">
          <a class="button" href={`${config.identityApiUrl}/v1/auth/sso/start`}>
            Sign in with {config.ssoLabel}
          </a>
        </p>
      )}
      {config.devSignIn && <DevSignIn onSignedIn={props.onSignedIn} />}
    </main>
  );
}

function AccountForm(props: { identity: IdentityApi; onSignedIn: (session: Session) => void }) {
  const [mode, setMode] = useState<Mode>('sign-in');
  const [handle, setHandle] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const signedIn =
        mode === 'sign-in'
          ? await props.identity.signIn(handle, password)
          : await props.identity.signUp(handle, displayName, password);
      props.onSignedIn(accountSession(signedIn));
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label={mode === 'sign-in' ? 'Sign in' : 'Sign up'}>
      <p class="tabs">
        <button
          type="button"
          class="link"
          aria-pressed={mode === 'sign-in'}
          onClick={() => setMode('sign-in')}
        >
          Sign in
        </button>
        <button
          type="button"
          class="link"
          aria-pressed={mode === 'sign-up'}
          onClick={() => setMode('sign-up')}
        >
          Create an account
        </button>
      </p>
      <label for="account-handle">Handle</label>
      <input
        id="account-handle"
        name="username"
        autoComplete="username"
        required
        maxLength={32}
        value={handle}
        onInput={(event) => setHandle(event.currentTarget.value)}
        autoFocus
      />
      {mode === 'sign-up' && (
        <>
          <label for="account-display-name">Display name</label>
          <input
            id="account-display-name"
            name="name"
            autoComplete="name"
            required
            maxLength={100}
            value={displayName}
            onInput={(event) => setDisplayName(event.currentTarget.value)}
          />
        </>
      )}
      <label for="account-password">Password</label>
      <input
        id="account-password"
        name="password"
        type="password"
        autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
        required
        minLength={mode === 'sign-up' ? 10 : undefined}
        maxLength={256}
        value={password}
        onInput={(event) => setPassword(event.currentTarget.value)}
      />
      <button type="submit" disabled={busy}>
        {mode === 'sign-in' ? 'Sign in' : 'Create account'}
      </button>
      {mode === 'sign-up' && (
        <p class="hint">
          Handle: 3 to 32 letters, digits, ".", "_" or "-". Password: at least 10 characters.
        </p>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </form>
  );
}

function DevSignIn(props: { onSignedIn: (session: Session) => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
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
    <form onSubmit={submit} aria-label="Development sign-in">
      <label for="sign-in-name">Your name</label>
      <input
        id="sign-in-name"
        name="name"
        autoComplete="off"
        required
        maxLength={64}
        value={name}
        onInput={(event) => setName(event.currentTarget.value)}
      />
      <button type="submit" disabled={busy}>
        Sign in by name
      </button>
      <p class="hint">Development sign-in: anyone may sign in by name. Others invite you by the same name.</p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </form>
  );
}
