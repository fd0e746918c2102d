import { useEffect, useState } from 'preact/hooks';
import { typingLine } from '../format.js';

/** How long a typing line must hold before a screen reader hears it: a burst of starts and stops says nothing. */
const ANNOUNCE_AFTER_MS = 1_500;

/**
 * "Bob is typing…": shown at once, but announced politely and only when
 * the line has changed and held for a moment, never per keystroke; its
 * end is not announced at all.
 */
export function TypingLine(props: { names: readonly string[] }) {
  const line = typingLine(props.names);
  const [announced, setAnnounced] = useState('');
  useEffect(() => {
    if (!line) {
      setAnnounced('');
      return;
    }
    const timer = window.setTimeout(() => setAnnounced(line), ANNOUNCE_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [line]);
  return (
    <>
      <p class="typing" aria-hidden="true" data-testid="typing">
        {line}
      </p>
      <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        {line ? announced : ''}
      </p>
    </>
  );
}
