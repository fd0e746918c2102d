import {
  HISTORY_PAGE_DEFAULT,
  type ChatMessage,
  type HistoryPage,
  type MessageUpdate,
} from '@chat/contracts';
import {
  chatMessageOfStored,
  messageUpdateOfStored,
  type ChatModels,
  type StoredMessageView,
} from '@chat/message-store';
import type { Logger } from '@chat/runtime';
import type { RecentCache } from '@chat/recent-cache';
import { PerKeyConcurrency } from '../limits/per-key-concurrency.js';
import { refuse } from '../socket/errors.js';
import { pageFromCache, type PageQuery } from './page.js';

export interface HistoryQuery {
  before?: number | undefined;
  after?: number | undefined;
  limit?: number | undefined;
}

/** The (roomId, position) index every history query is served by on MongoDB (FerretDB v1 scans regardless). */
const BY_ROOM_POSITION = { roomId: 1, position: 1 } as const;

/**
 * History pages: the recent cache first, MongoDB behind it (repairing an
 * empty cache). Every query names its index and carries a server-side time
 * limit, so one read's cost is bounded; the caller bounds how many run.
 */
export class HistoryService {
  constructor(
    private readonly cache: RecentCache,
    private readonly models: ChatModels,
    private readonly log: Logger,
    private readonly limits: { pageQueryMs: number; rangeQueryMs: number; databasePages: number },
  ) {
    this.databasePages = new PerKeyConcurrency(limits.databasePages, 'OVERLOADED');
  }

  /** History pages this instance reads from the database at once; past it OVERLOADED (FerretDB scans per read). */
  private readonly databasePages: PerKeyConcurrency;

  /** A bounded query of one room's messages, in position order. */
  private query(
    filter: Record<string, unknown>,
    direction: 1 | -1,
    limit: number,
    maxTimeMs = this.limits.pageQueryMs,
  ): Promise<StoredMessageView[]> {
    return this.models.Message.find(filter)
      .sort({ position: direction })
      .limit(limit)
      .hint(BY_ROOM_POSITION)
      .maxTimeMS(maxTimeMs)
      .lean<StoredMessageView[]>()
      .exec();
  }

  async page(roomId: string, query: HistoryQuery): Promise<HistoryPage> {
    const page: PageQuery = {
      before: query.before,
      after: query.after,
      limit: query.limit ?? HISTORY_PAGE_DEFAULT,
    };
    let cacheUp = true;
    try {
      const hit = pageFromCache(await this.cache.read(roomId), page);
      if (hit) return { ...hit, source: 'cache' };
    } catch (error) {
      cacheUp = false;
      this.log.warn(
        { err: (error as Error).message },
        'recent cache unavailable; reading history from MongoDB',
      );
    }
    const fromDb = await this.databasePages.run('all', () => this.fromDatabase(roomId, page));
    if (cacheUp && page.before === undefined && page.after === undefined) {
      this.cache.repair(roomId, fromDb.messages).catch(() => undefined);
    }
    return { ...fromDb, source: 'database' };
  }

  /** Whether `messageId` is a message of `roomId`: the recent cache, else one indexed lookup by id and room. */
  async holds(roomId: string, messageId: string): Promise<boolean> {
    const cached = await this.cache.read(roomId).catch(() => []);
    if (cached.some((message) => message.messageId === messageId)) return true;
    const found = await this.models.Message.exists({ _id: messageId, roomId })
      .maxTimeMS(this.limits.pageQueryMs)
      .exec()
      .catch(() => {
        throw refuse('UNAVAILABLE');
      });
    return found !== null;
  }

  /** The message as it stands now (edits and delete applied): the recent cache, else one lookup by id and room. */
  async find(roomId: string, messageId: string): Promise<ChatMessage | undefined> {
    const cached = await this.cache.read(roomId).catch(() => []);
    const hit = cached.find((message) => message.messageId === messageId);
    if (hit) return hit;
    const row = await this.models.Message.findOne({ _id: messageId, roomId })
      .maxTimeMS(this.limits.pageQueryMs)
      .lean<StoredMessageView>()
      .exec()
      .catch(() => {
        throw refuse('UNAVAILABLE');
      });
    return row ? chatMessageOfStored(row) : undefined;
  }

  /**
   * Edits and deletes logged at positions in (after, before) of messages at
   * or below `heldUpTo` (the ones a catching-up client already has), each as
   * its message's final state. One whose last change is at or above `before`
   * is left out: that change reaches the client itself, from memory or live.
   */
  async updatesBetween(
    roomId: string,
    after: number,
    before: number,
    heldUpTo: number,
  ): Promise<MessageUpdate[]> {
    try {
      const changed = await this.models.Change.find(
        { roomId, position: { $gt: after, $lt: before } },
        { messageId: 1 },
      )
        .maxTimeMS(this.limits.rangeQueryMs)
        .lean()
        .exec();
      if (changed.length === 0) return [];
      const rows = await this.models.Message.find({
        _id: { $in: [...new Set(changed.map((change) => change.messageId))] },
        roomId,
        position: { $lte: heldUpTo },
      })
        .maxTimeMS(this.limits.rangeQueryMs)
        .lean<StoredMessageView[]>()
        .exec();
      return rows
        .map(messageUpdateOfStored)
        .filter((update): update is MessageUpdate => update !== undefined && update.position < before)
        .sort((a, b) => a.position - b.position);
    } catch {
      throw refuse('UNAVAILABLE');
    }
  }

  /** Messages with positions in (after, before), ascending, at most `limit`. */
  async range(roomId: string, after: number, before: number, limit: number): Promise<ChatMessage[]> {
    const rows = await this.query(
      { roomId, position: { $gt: after, $lt: before } },
      1,
      limit,
      this.limits.rangeQueryMs,
    ).catch(() => {
      throw refuse('UNAVAILABLE');
    });
    return rows.map(chatMessageOfStored);
  }

  private async fromDatabase(
    roomId: string,
    page: PageQuery,
  ): Promise<{ messages: ChatMessage[]; hasMore: boolean }> {
    try {
      if (page.after !== undefined) {
        const rows = await this.query({ roomId, position: { $gt: page.after } }, 1, page.limit + 1);
        return {
          messages: rows.slice(0, page.limit).map(chatMessageOfStored),
          hasMore: rows.length > page.limit,
        };
      }
      const filter = page.before === undefined ? { roomId } : { roomId, position: { $lt: page.before } };
      const rows = await this.query(filter, -1, page.limit + 1);
      return {
        messages: rows.slice(0, page.limit).reverse().map(chatMessageOfStored),
        hasMore: rows.length > page.limit,
      };
    } catch (error) {
      this.log.error({ err: (error as Error).message }, 'history unavailable from MongoDB');
      throw refuse('UNAVAILABLE');
    }
  }
}
