import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChatClient, ChatState } from '../chat-client.js';
import { Arrivals } from './arrivals.js';
import { tabTitle, unreadBadge, type UnreadBadge } from './unread.js';

export interface Attention {
  /** Per room; the open room counts nothing while it is on screen. */
  counts: Record<string, UnreadBadge>;
  notifying: boolean;
  /** Why notifications are off although asked for ("blocked by the browser"), if so. */
  notifyProblem: string | undefined;
  setNotifying: (on: boolean) => Promise<void>;
}

const supported = (): boolean => typeof Notification !== 'undefined';

/**
 * Unread badges, the tab title ("(3) Chat") and desktop notifications for
 * messages in rooms not on screen. Notifications are off until the person
 * turns them on; only then is the browser's permission asked for.
 */
export function useAttention(client: ChatClient, state: ChatState): Attention {
  const me = client.session.userId;
  const handle = client.mentionHandle();
  const preference = `chat:notify:${me}`;
  const [notifying, setOn] = useState(() => supported() && localStorage.getItem(preference) === 'on');
  const [notifyProblem, setProblem] = useState<string>();
  const arrivals = useRef(new Arrivals());

  const counts = useMemo(() => {
    const byRoom: Record<string, UnreadBadge> = {};
    for (const [roomId, room] of Object.entries(state.rooms)) {
      byRoom[roomId] =
        roomId === state.activeRoomId
          ? { count: 0, mentions: 0, atLeast: false }
          : unreadBadge({ ...room, server: room.serverUnread }, me, handle);
    }
    return byRoom;
  }, [state.rooms, state.activeRoomId, me, handle]);

  useEffect(() => {
    document.title = tabTitle(Object.values(counts));
  }, [counts]);

  useEffect(() => {
    const rooms = Object.values(state.rooms).map((room) => ({
      roomId: room.summary.roomId,
      messages: room.messages,
      loaded: room.messages.length > 0 || !room.hasOlder,
    }));
    const fresh = arrivals.current.take(rooms, me);
    if (!notifying || Notification.permission !== 'granted') return;
    for (const message of fresh) {
      const onScreen = message.roomId === state.activeRoomId && document.visibilityState === 'visible';
      const room = state.rooms[message.roomId];
      if (onScreen || !room) continue;
      const notice = new Notification(`${client.nameOf(message.senderId)} in ${client.titleOf(room)}`, {
        body: message.text.slice(0, 200),
        tag: message.roomId,
      });
      notice.onclick = () => {
        window.focus();
        client.open(message.roomId);
      };
    }
  }, [state.rooms]);

  const setNotifying = async (on: boolean) => {
    setProblem(undefined);
    if (on && supported() && Notification.permission !== 'granted') {
      const answer = await Notification.requestPermission();
      if (answer !== 'granted') {
        setProblem('Your browser blocks notifications from this page.');
        on = false;
      }
    }
    localStorage.setItem(preference, on ? 'on' : 'off');
    setOn(on);
  };

  return { counts, notifying, notifyProblem, setNotifying };
}
