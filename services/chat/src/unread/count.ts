import { UNREAD_COUNT_CAP, mentions, type ChatMessage } from '@chat/contracts';

export interface UnreadCount {
  unread: number;
  mentions: number;
  atLeast: boolean;
}

/**
 * Unread messages from the recent cache alone: messages from others above
 * the read watermark. The count is exact only when the cache reaches back
 * to the watermark; otherwise (or past the cap) it is a lower bound.
 * An empty cache (a room idle past the cache's lifetime) counts nothing.
 */
export function countUnread(
  cached: readonly ChatMessage[],
  readPosition: number,
  me: string,
  handle: string | undefined,
): UnreadCount {
  let unread = 0;
  let mentioned = 0;
  for (const message of cached) {
    if (message.position <= readPosition || message.senderId === me) continue;
    unread += 1;
    if (handle && mentions(message.text, handle)) mentioned += 1;
  }
  const reachesWatermark = cached.length === 0 || cached[0]!.position <= readPosition;
  return {
    unread: Math.min(unread, UNREAD_COUNT_CAP),
    mentions: Math.min(mentioned, UNREAD_COUNT_CAP),
    atLeast: !reachesWatermark || unread > UNREAD_COUNT_CAP,
  };
}
