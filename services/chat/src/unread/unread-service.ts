import type { ChatMessage, UnreadRequest, UnreadRoomResult } from '@chat/contracts';
import { RECEIPT_RANK } from '@chat/contracts/receipt-order';
import type { ChatModels } from '@chat/message-store';
import { recentKey } from '@chat/recent-cache';
import type { Redis } from 'ioredis';
import type { MembershipCheck } from '../membership/membership.js';
import { errorBody, refuse } from '../socket/errors.js';
import { countUnread } from './count.js';

/**
 * Unread counts for many rooms at a bounded cost, whatever their number:
 * one Redis pipeline reads every room's recent cache, one store query reads
 * the caller's `read` receipts of all those rooms, and only rooms none of
 * whose read messages is cached cost a second query (for those messages'
 * positions, again one for all of them). Counts come from the cache alone
 * (`countUnread`): FerretDB v1 scans a collection per query, so nothing here
 * counts in the store.
 */
export class UnreadService {
  constructor(
    private readonly deps: {
      redis: Redis;
      models: ChatModels;
      membership: MembershipCheck;
      /** Server-side limit of each store query (`maxTimeMS`). */
      queryMs: number;
    },
  ) {}

  async counts(userId: string, request: UnreadRequest): Promise<{ rooms: UnreadRoomResult[] }> {
    const allowed = await Promise.all(
      request.rooms.map((roomId) => this.deps.membership.isMember(roomId, userId)),
    );
    const roomIds = request.rooms.filter((_, index) => allowed[index]);
    const cached = roomIds.length ? await this.readCaches(roomIds) : new Map<string, ChatMessage[]>();
    const watermarks = roomIds.length
      ? await this.watermarks(userId, roomIds, cached)
      : new Map<string, number>();
    return {
      rooms: request.rooms.map((roomId, index): UnreadRoomResult => {
        if (!allowed[index]) return { roomId, error: errorBody(refuse('NOT_A_MEMBER')) };
        const readPosition = watermarks.get(roomId) ?? -1;
        return {
          roomId,
          readPosition,
          ...countUnread(cached.get(roomId) ?? [], readPosition, userId, request.handle),
        };
      }),
    };
  }

  private async readCaches(roomIds: readonly string[]): Promise<Map<string, ChatMessage[]>> {
    const pipeline = this.deps.redis.pipeline();
    for (const roomId of roomIds) pipeline.lrange(recentKey(roomId), 0, -1);
    const replies = (await pipeline.exec().catch(() => null)) ?? [];
    // A room whose cache cannot be read counts as an empty cache: nothing, rather than a failed request.
    return new Map(
      roomIds.map((roomId, index) => {
        const [error, items] = (replies[index] ?? [null, []]) as [Error | null, string[] | undefined];
        return [roomId, error || !items ? [] : items.map((item) => JSON.parse(item) as ChatMessage)];
      }),
    );
  }

  /** Per room, the highest position among the messages the user has a `read` receipt for. */
  private async watermarks(
    userId: string,
    roomIds: readonly string[],
    caches: ReadonlyMap<string, readonly ChatMessage[]>,
  ): Promise<Map<string, number>> {
    const { Receipt, Message } = this.deps.models;
    const receipts = await Receipt.find(
      { userId, roomId: { $in: roomIds }, rank: { $gte: RECEIPT_RANK.read } },
      { roomId: 1, messageId: 1 },
    )
      .maxTimeMS(this.deps.queryMs)
      .lean<{ roomId: string; messageId: string }[]>()
      .exec()
      .catch(() => {
        throw refuse('UNAVAILABLE');
      });
    const watermarks = new Map<string, number>();
    const raise = (roomId: string, position: number) =>
      watermarks.set(roomId, Math.max(position, watermarks.get(roomId) ?? -1));
    const uncached: typeof receipts = [];
    for (const receipt of receipts) {
      const hit = caches.get(receipt.roomId)?.find((message) => message.messageId === receipt.messageId);
      if (hit) raise(receipt.roomId, hit.position);
      else uncached.push(receipt);
    }
    // A read message outside the cache is older than everything in it: only needed where nothing cached was read.
    const needed = uncached.filter(({ roomId }) => !watermarks.has(roomId)).map(({ messageId }) => messageId);
    if (needed.length) {
      const rows = await Message.find({ _id: { $in: needed } }, { roomId: 1, position: 1 })
        .maxTimeMS(this.deps.queryMs)
        .lean<{ roomId: string; position: number }[]>()
        .exec()
        .catch(() => {
          throw refuse('UNAVAILABLE');
        });
      for (const row of rows) if (roomIds.includes(row.roomId)) raise(row.roomId, row.position);
    }
    return watermarks;
  }
}
