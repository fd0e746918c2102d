import { useState } from 'preact/hooks';
import type { ChatMessage, MemberRole } from '@chat/contracts';
import type { ChatClient } from '../chat-client.js';
import { mayDelete, mayEdit } from '../message-changes.js';

/** "edited" or "deleted" under a message's text, live and after a reload alike. */
export function ChangeMark(props: { message: ChatMessage }) {
  if (props.message.deleted) return null;
  return props.message.editedAt ? (
    <span class="edited" title={props.message.editedAt}>
      {' '}
      (edited)
    </span>
  ) : null;
}

/** A message's text, or the tombstone's placeholder. */
/** Edit (own messages) and delete (own, or anyone's for owners and admins), with an inline editor. */
export function MessageActions(props: {
  client: ChatClient;
  message: ChatMessage;
  me: string;
  role: MemberRole;
}) {
  const { client, message, me, role } = props;
  const [draft, setDraft] = useState<string | undefined>(undefined);
  if (draft !== undefined) {
    const save = (event: Event) => {
      event.preventDefault();
      const text = draft.trim();
      setDraft(undefined);
      if (text && text !== message.text) void client.change(message.roomId, message.messageId, text);
    };
    return (
      <form class="edit-message" onSubmit={save}>
        <input
          aria-label="Edit message"
          value={draft}
          maxLength={4000}
          onInput={(event) => setDraft((event.target as HTMLInputElement).value)}
          onKeyDown={(event) => event.key === 'Escape' && setDraft(undefined)}
          autoFocus
        />
        <button type="submit">Save</button>
        <button type="button" onClick={() => setDraft(undefined)}>
          Cancel
        </button>
      </form>
    );
  }
  return (
    <span class="message-actions">
      {mayEdit(message, me) && (
        <button type="button" class="edit" onClick={() => setDraft(message.text)}>
          Edit
        </button>
      )}
      {mayDelete(message, me, role) && (
        <button
          type="button"
          class="delete"
          onClick={() => {
            if (window.confirm('Delete this message for everyone?'))
              void client.change(message.roomId, message.messageId);
          }}
        >
          Delete
        </button>
      )}
    </span>
  );
}
