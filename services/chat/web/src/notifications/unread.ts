import type { ChatMessage, UnreadRoomResult } from '@chat/contracts';
import { mentions } from '@chat/contracts/mentions';

/** Counts stop here (the gateway's UNREAD_COUNT_CAP): "99+". */
export const UNREAD_CAP = 99;

export interface UnreadBadge {
  count: number;
  mentions: number;
  /** The true count may be higher: show "N+". */
  atLeast: boolean;
}

export interface UnreadInputs {
  messages: readonly ChatMessage[];
  hasOlder: boolean;
  /** The furthest read position the page knows: its own marker or the server's watermark. */
  lastRead: number;
  /** The gateway's answer to `unread`, when it came. */
  server?: Pick<UnreadRoomResult, 'readPosition' | 'unread' | 'mentions' | 'atLeast'> | undefined;
}

/**
 * A room's unread messages from others. The loaded messages decide when they
 * reach back to the last read one (or to the room's start); otherwise the
 * gateway's count from its recent cache (after its stored watermark) fills
 * in, and whichever is larger is shown.
 */
export function unreadBadge(room: UnreadInputs, me: string, handle: string | undefined): UnreadBadge {
  let count = 0;
  let mentioned = 0;
  for (const message of room.messages) {
    if (message.position <= room.lastRead || message.senderId === me) continue;
    count += 1;
    if (handle && mentions(message.text, handle)) mentioned += 1;
  }
  const first = room.messages[0]?.position;
  const reachesLastRead = !room.hasOlder || (first !== undefined && first <= room.lastRead);
  let atLeast = false;
  const server = room.server;
  if (!reachesLastRead && server && (server.readPosition ?? -1) >= room.lastRead) {
    count = Math.max(count, server.unread ?? 0);
    mentioned = Math.max(mentioned, server.mentions ?? 0);
    atLeast = server.atLeast === true;
  } else if (!reachesLastRead) atLeast = count > 0;
  return {
    count: Math.min(count, UNREAD_CAP),
    mentions: Math.min(mentioned, UNREAD_CAP),
    atLeast: atLeast || count > UNREAD_CAP,
  };
}

/** "3", "30+", "99+". */
export function badgeText(badge: UnreadBadge): string {
  return `${badge.count}${badge.atLeast ? '+' : ''}`;
}

/** The tab's title: "(3) Chat" with something unread, "Chat" without. */
export function tabTitle(badges: readonly UnreadBadge[], base = 'Chat'): string {
  const total = badges.reduce((sum, badge) => sum + badge.count, 0);
  const more = badges.some((badge) => badge.atLeast) || total > UNREAD_CAP;
  if (total === 0) return base;
  return `(${Math.min(total, UNREAD_CAP)}${more ? '+' : ''}) ${base}`;
}
