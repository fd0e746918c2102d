import { useEffect, useState } from 'preact/hooks';
import type { WebClientConfig } from '@chat/contracts';
import { ChatClient } from '../chat-client.js';
import { devSignIn, forgetSession, loadWebConfig, storedSession, type Session } from '../session.js';
import { useChatState } from '../use-chat.js';
import { ChatView } from './chat-view.js';
import { ConnectionBanner } from './connection-banner.js';
import { NewRoom } from './new-room.js';
import { RoomList } from './room-list.js';
import { SignIn } from './sign-in.js';

export function App() {
  const [config, setConfig] = useState<WebClientConfig>();
  const [failure, setFailure] = useState<string>();
  const [session, setSession] = useState<Session | undefined>(storedSession);

  useEffect(() => {
    loadWebConfig().then(setConfig, (error: Error) => setFailure(error.message));
  }, []);

  if (failure)
    return (
      <p role="alert" class="page-error">
        {failure}
      </p>
    );
  if (!config) return <p class="page-loading">Loading…</p>;
  if (!session) return <SignIn devSignIn={config.devSignIn} onSignedIn={setSession} />;
  return (
    <Chat
      key={session.userId}
      session={session}
      config={config}
      onSignOut={() => {
        forgetSession();
        setSession(undefined);
      }}
    />
  );
}

function Chat(props: { session: Session; config: WebClientConfig; onSignOut: () => void }) {
  const [client] = useState(
    () =>
      new ChatClient(props.session, props.config.roomApiUrl, async () => {
        // A dev token is renewed by signing in again under the same name; without dev sign-in, sign out.
        if (!props.config.devSignIn) {
          props.onSignOut();
          return undefined;
        }
        const renewed = await devSignIn(props.session.name);
        Object.assign(props.session, renewed);
        return renewed;
      }),
  );
  const state = useChatState(client);
  const [startError, setStartError] = useState<string>();

  useEffect(() => {
    client.start().catch((error: Error) => setStartError(error.message));
    return () => client.stop();
  }, [client]);

  const active = state.activeRoomId ? state.rooms[state.activeRoomId] : undefined;
  return (
    <div class="layout">
      <header class="topbar">
        <h1>Chat</h1>
        <ConnectionBanner state={state.connection} />
        <span class="me">
          <span class="dot online" aria-hidden="true" /> {props.session.name}
        </span>
        <button type="button" class="link" onClick={props.onSignOut}>
          Sign out
        </button>
      </header>
      <aside class="sidebar" aria-label="Rooms">
        <NewRoom client={client} />
        <RoomList state={state} me={props.session.userId} onOpen={(roomId) => client.open(roomId)} />
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
      <main class="chat">
        {active ? (
          <ChatView
            key={active.summary.roomId}
            client={client}
            room={active}
            online={state.online}
            me={props.session.userId}
          />
        ) : (
          <p class="empty">Pick a room on the left, or create one and invite people by name.</p>
        )}
      </main>
    </div>
  );
}
