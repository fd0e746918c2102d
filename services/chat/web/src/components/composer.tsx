import { useState } from 'preact/hooks';
import type { ChatClient } from '../chat-client.js';

const MAX_TEXT = 4000;

/** Enter sends, Shift+Enter starts a new line. */
export function Composer(props: { client: ChatClient; roomId: string }) {
  const [text, setText] = useState('');
  const send = () => {
    const trimmed = text.trim();
    if (!trimmed) return;
    props.client.send(props.roomId, trimmed);
    setText('');
  };
  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label for="composer-text" class="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-text"
        rows={1}
        maxLength={MAX_TEXT}
        placeholder="Write a message"
        value={text}
        onInput={(event) => {
          setText(event.currentTarget.value);
          props.client.typing(props.roomId);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            send();
          }
        }}
      />
      <button type="submit">Send</button>
    </form>
  );
}
