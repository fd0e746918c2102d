import { HISTORY_PAGE_DEFAULT, type ChatMessage, type HistoryPage } from '@chat/contracts';
import { chatMessageOfStored, type ChatModels, type StoredMessageView } from '@chat/message-store';
import type { Logger } from '@chat/runtime';
import { refuse } from '../socket/errors.js';
import { pageFromCache, type PageQuery } from './page.js';
import type { RecentCache } from './recent-cache.js';

export interface HistoryQuery {
  before?: number | undefined;
  after?: number | undefined;
  limit?: number | undefined;
}

/** History pages: the recent cache first, MongoDB behind it (repairing an empty cache). */
export class HistoryService {
  constructor(
    private readonly cache: RecentCache,
    private readonly models: ChatModels,
    private readonly log: Logger,
  ) {}

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
    const fromDb = await this.fromDatabase(roomId, page);
    if (cacheUp && page.before === undefined && page.after === undefined) {
      this.cache.repair(roomId, fromDb.messages).catch(() => undefined);
    }
    return { ...fromDb, source: 'database' };
  }

  /** Messages with positions in (after, before), ascending, at most `limit`. */
  async range(roomId: string, after: number, before: number, limit: number): Promise<ChatMessage[]> {
    const rows = await this.models.Message.find({ roomId, position: { $gt: after, $lt: before } })
      .sort({ position: 1 })
      .limit(limit)
      .lean<StoredMessageView[]>()
      .exec()
      .catch(() => {
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
        const rows = await this.models.Message.find({ roomId, position: { $gt: page.after } })
          .sort({ position: 1 })
          .limit(page.limit + 1)
          .lean<StoredMessageView[]>()
          .exec();
        return {
          messages: rows.slice(0, page.limit).map(chatMessageOfStored),
          hasMore: rows.length > page.limit,
        };
      }
      const filter = page.before === undefined ? { roomId } : { roomId, position: { $lt: page.before } };
      const rows = await this.models.Message.find(filter)
        .sort({ position: -1 })
        .limit(page.limit + 1)
        .lean<StoredMessageView[]>()
        .exec();
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
