import type { ChatClient } from '../chat-client.js';
import type { PendingMessage } from '../room-state.js';

/** A refused or unanswered send: retry (the same clientMessageId, so never twice) or discard. */
export function FailedSend(props: { client: ChatClient; pending: PendingMessage }) {
  const { client, pending } = props;
  return (
    <span class="failed-send">
      <span class="error" role="alert">
        {pending.error}
      </span>{' '}
      <button
        type="button"
        class="link"
        onClick={() => client.retrySend(pending.roomId, pending.clientMessageId)}
      >
        Retry
      </button>
      <button
        type="button"
        class="link"
        onClick={() => client.discardSend(pending.roomId, pending.clientMessageId)}
      >
        Discard
      </button>
    </span>
  );
}
