import { Fragment } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChatClient, RoomState } from '../chat-client.js';
import { formatSentAt } from '../format.js';
import { ticksOf, type Tick } from '../room-state.js';
import { dayLabel, startsDay } from '../text/days.js';
import { FailedSend } from './failed-send.js';
import { ChangeMark, MessageActions } from './message-actions.js';
import { MessageText } from './message-text.js';

const TICK_TEXT: Record<Tick | 'pending' | 'failed', { mark: string; label: string }> = {
  pending: { mark: '🕓', label: 'sending' },
  sent: { mark: '✓', label: 'sent' },
  delivered: { mark: '✓✓', label: 'delivered' },
  read: { mark: '✓✓', label: 'read' },
  failed: { mark: '!', label: 'not sent' },
};
/** Scroll-back starts this close to the top. */
const LOAD_OLDER_AT_PX = 120;

function Ticks(props: { status: keyof typeof TICK_TEXT }) {
  const { mark, label } = TICK_TEXT[props.status];
  return (
    <span class={`ticks ${props.status}`} title={label} aria-label={label}>
      {mark}
    </span>
  );
}

/**
 * The room's messages (role=log: new ones are announced), with scroll-back:
 * near the top the next older page loads and the view keeps its place.
 */
export function MessageList(props: { client: ChatClient; room: RoomState; me: string }) {
  const { room, me, client } = props;
  const roomId = room.summary.roomId;
  const box = useRef<HTMLDivElement>(null);
  const anchor = useRef<{ height: number; top: number; first?: number; atBottom: boolean }>({
    height: 0,
    top: 0,
    atBottom: true,
  });
  const ticks = useMemo(() => ticksOf(room.messages, room.receipts, me), [room.messages, room.receipts, me]);
  // Where reading stopped when the room was opened: the "new messages" marker stays there while it is read.
  const [readWhenOpened] = useState(room.lastRead);
  const firstUnread = room.messages.find((m) => m.position > readWhenOpened && m.senderId !== me)?.messageId;
  const handle = client.mentionHandle();

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const before = anchor.current;
    const first = room.messages[0]?.position;
    if (before.first !== undefined && first !== undefined && first < before.first) {
      // An older page was prepended: keep what the reader was looking at in place.
      element.scrollTop = before.top + (element.scrollHeight - before.height);
    } else if (before.atBottom) {
      element.scrollTop = element.scrollHeight;
    }
    anchor.current = {
      height: element.scrollHeight,
      top: element.scrollTop,
      first,
      atBottom: anchor.current.atBottom,
    };
    // A page too short to scroll could never reach the top by scrolling: fill it.
    if (element.scrollHeight <= element.clientHeight && room.hasOlder && room.messages.length)
      void client.loadOlder(roomId);
  }, [room.messages, room.pending]);

  const onScroll = () => {
    const element = box.current;
    if (!element) return;
    anchor.current = {
      ...anchor.current,
      height: element.scrollHeight,
      top: element.scrollTop,
      atBottom: element.scrollHeight - element.scrollTop - element.clientHeight < 40,
    };
    if (element.scrollTop < LOAD_OLDER_AT_PX && room.hasOlder) void client.loadOlder(roomId);
  };

  return (
    <div
      class="messages"
      ref={box}
      onScroll={onScroll}
      role="log"
      aria-live="polite"
      aria-label="Messages"
      tabIndex={0}
    >
      <ol>
        <li class="history-edge" aria-hidden={!room.loadingOlder}>
          {room.loadingOlder ? 'Loading older messages…' : room.hasOlder ? '' : 'Start of the conversation'}
        </li>
        {room.messages.map((message, index) => {
          const own = message.senderId === me;
          return (
            <Fragment key={message.messageId}>
              {startsDay(room.messages[index - 1]?.sentAt, message.sentAt) && (
                <li class="day-separator" role="separator">
                  {dayLabel(message.sentAt)}
                </li>
              )}
              {message.messageId === firstUnread && (
                <li class="new-marker" role="separator" data-testid="new-messages">
                  New messages
                </li>
              )}
              <li
                class={own ? 'message own' : 'message'}
                data-position={message.position}
                data-status={own ? ticks.get(message.messageId) : undefined}
              >
                {!own && (
                  <span class="sender" data-user-id={message.senderId}>
                    {client.nameOf(message.senderId)}
                  </span>
                )}
                <MessageText text={message.text} handle={handle} deleted={message.deleted} />
                <span class="meta">
                  <time dateTime={message.sentAt}>{formatSentAt(message.sentAt)}</time>
                  <ChangeMark message={message} />
                  {own && <Ticks status={ticks.get(message.messageId) ?? 'sent'} />}
                </span>
                <MessageActions client={client} message={message} me={me} role={room.summary.role} />
              </li>
            </Fragment>
          );
        })}
        {room.pending.map((pending) => (
          <li key={pending.clientMessageId} class="message own pending" data-status={pending.status}>
            <MessageText text={pending.text} handle={handle} />
            <span class="meta">
              <time dateTime={pending.createdAt}>{formatSentAt(pending.createdAt)}</time>
              <Ticks status={pending.status} />
              {pending.status === 'failed' && <FailedSend client={client} pending={pending} />}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
