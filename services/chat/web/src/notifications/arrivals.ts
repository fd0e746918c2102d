import type { ChatMessage } from '@chat/contracts';

/**
 * The newest message from someone else that arrived in each room since the
 * last call, for desktop notifications. A room seen (loaded) for the first
 * time only records where it stands: loading the page never notifies.
 */
export class Arrivals {
  private readonly newest = new Map<string, number>();

  take(
    rooms: readonly { roomId: string; messages: readonly ChatMessage[]; loaded: boolean }[],
    me: string,
  ): ChatMessage[] {
    const fresh: ChatMessage[] = [];
    for (const { roomId, messages, loaded } of rooms) {
      // Its first page is still on the way: that page is history, not news.
      if (!loaded) continue;
      const last = messages.at(-1)?.position ?? -1;
      const before = this.newest.get(roomId);
      this.newest.set(roomId, Math.max(last, before ?? -1));
      if (before === undefined || last <= before) continue;
      const arrived = messages
        .filter((message) => message.position > before && message.senderId !== me)
        .at(-1);
      if (arrived) fresh.push(arrived);
    }
    return fresh;
  }
}
