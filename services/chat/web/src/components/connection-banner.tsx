import type { ConnectionState } from '../chat-client.js';

const TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  'catching-up': 'Catching up…',
  online: 'Online',
  reconnecting: 'Reconnecting…',
  offline: 'Offline: messages are sent when you are back',
};

/** Always present, so screen readers hear every change. */
export function ConnectionBanner(props: { state: ConnectionState }) {
  return (
    <p class={`connection ${props.state}`} role="status" aria-live="polite" data-state={props.state}>
      {TEXT[props.state]}
    </p>
  );
}
