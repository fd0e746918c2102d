import { useEffect, useState } from 'preact/hooks';
import type { WebClientConfig } from '@chat/contracts';
import { ChatClient } from '../chat-client.js';
import { IdentityApi } from '../identity-api.js';
import {
  accountSession,
  devSignIn,
  forgetSession,
  loadWebConfig,
  resumedSession,
  storedSession,
  type Session,
} from '../session.js';
import { useAttention } from '../notifications/use-attention.js';
import { useChatState } from '../use-chat.js';
import { ChatView } from './chat-view.js';
import { ConnectionBanner } from './connection-banner.js';
import { NewDirect } from './new-direct.js';
import { NewRoom } from './new-room.js';
import { NotificationToggle } from './notification-toggle.js';
import { Profile } from './profile.js';
import { RoomList } from './room-list.js';
import { SignIn } from './sign-in.js';

export function App() {
  const [config, setConfig] = useState<WebClientConfig>();
  const [failure, setFailure] = useState<string>();
  const [session, setSession] = useState<Session | undefined>(storedSession);
  const [identity, setIdentity] = useState<IdentityApi>();
  const [resuming, setResuming] = useState(false);

  useEffect(() => {
    loadWebConfig().then(
      async (loaded) => {
        const api = loaded.identityApiUrl !== undefined ? new IdentityApi(loaded.identityApiUrl) : undefined;
        setIdentity(api);
        // A reload, or the return from single sign-on: the refresh cookie may hold a session already.
        if (api && !storedSession()) {
          setResuming(true);
          const resumed = await resumedSession(api);
          if (resumed) setSession(resumed);
          setResuming(false);
        }
        setConfig(loaded);
      },
      (error: Error) => setFailure(error.message),
    );
  }, []);

  if (failure)
    return (
      <p role="alert" class="page-error">
        {failure}
      </p>
    );
  if (!config || resuming) return <p class="page-loading">Loading…</p>;
  if (!session) return <SignIn config={config} identity={identity} onSignedIn={setSession} />;
  const signedOut = () => {
    forgetSession();
    setSession(undefined);
  };
  return (
    <Chat
      key={session.userId}
      session={session}
      config={config}
      identity={identity}
      onSignedOut={signedOut}
      onSignOut={() => {
        // The session ends on the server first, so its sockets close everywhere; the page forgets it either way.
        const ending = session.kind === 'account' && identity ? identity.signOut() : Promise.resolve();
        void ending.catch(() => undefined).then(signedOut);
      }}
      onSignOutEverywhere={() => {
        void identity
          ?.signOutEverywhere(session.token)
          .catch(() => undefined)
          .then(signedOut);
      }}
    />
  );
}

async function renewed(session: Session, config: WebClientConfig, identity: IdentityApi | undefined) {
  if (session.kind === 'account' && identity) return accountSession(await identity.refresh());
  // A dev token is renewed by signing in again under the same name.
  if (config.devSignIn) return devSignIn(session.name);
  throw new Error('no way to renew this session');
}

function Chat(props: {
  session: Session;
  config: WebClientConfig;
  identity: IdentityApi | undefined;
  onSignOut: () => void;
  onSignOutEverywhere: () => void;
  onSignedOut: () => void;
}) {
  const [client] = useState(
    () =>
      new ChatClient(
        props.session,
        props.config.roomApiUrl,
        async () => {
          try {
            return Object.assign(props.session, await renewed(props.session, props.config, props.identity));
          } catch {
            // The session ended (signed out elsewhere, expired, revoked): back to the sign-in page.
            props.onSignedOut();
            return undefined;
          }
        },
        // Development sessions keep inviting and naming by name, as before.
        props.session.kind === 'account' ? props.identity : undefined,
      ),
  );
  const state = useChatState(client);
  const [startError, setStartError] = useState<string>();

  useEffect(() => {
    client.start().catch((error: Error) => setStartError(error.message));
    return () => client.stop();
  }, [client]);

  const active = state.activeRoomId ? state.rooms[state.activeRoomId] : undefined;
  const attention = useAttention(client, state);
  // Phones show the room list or the conversation, never both (styles.css).
  return (
    <div class="layout" data-view={active ? 'room' : 'list'}>
      <a class="skip-link" href="#main">
        Skip to the conversation
      </a>
      <header class="topbar">
        <h1>Chat</h1>
        <ConnectionBanner state={state.connection} />
        <Profile
          client={client}
          onSignOut={props.onSignOut}
          onSignOutEverywhere={props.onSignOutEverywhere}
        />
      </header>
      <aside class="sidebar" aria-label="Rooms">
        <NewRoom client={client} />
        <NewDirect client={client} />
        <NotificationToggle attention={attention} />
        <RoomList
          client={client}
          state={state}
          counts={attention.counts}
          onOpen={(roomId) => client.open(roomId)}
        />
        {startError && (
          <p role="alert" class="error">
            {startError}
          </p>
        )}
        {state.notice && (
          <p role="status" class="notice">
            {state.notice}
          </p>
        )}
      </aside>
      <main class="chat" id="main" tabIndex={-1}>
        {active ? (
          <ChatView
            key={active.summary.roomId}
            client={client}
            room={active}
            online={state.online}
            me={props.session.userId}
            onBack={() => client.close()}
          />
        ) : (
          <p class="empty">Pick a room on the left, or create one and invite people by name.</p>
        )}
      </main>
    </div>
  );
}
