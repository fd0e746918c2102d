import type { ChatMessage } from '@chat/contracts';

export interface PageQuery {
  before?: number | undefined;
  after?: number | undefined;
  limit: number;
}

export interface PageResult {
  messages: ChatMessage[];
  hasMore: boolean;
}

/**
 * A page out of the cached list (contiguous, ascending), or undefined when
 * the cache cannot prove it holds the whole page (then the database answers).
 */
export function pageFromCache(cached: readonly ChatMessage[], query: PageQuery): PageResult | undefined {
  if (cached.length === 0) return undefined;
  const first = cached[0]!;
  if (query.after !== undefined) {
    // Everything after `after` is cached only if the cache starts at or before it.
    if (first.position > query.after) return undefined;
    const newer = cached.filter((message) => message.position > query.after!);
    return { messages: newer.slice(0, query.limit), hasMore: newer.length > query.limit };
  }
  const older =
    query.before === undefined ? [...cached] : cached.filter((message) => message.position < query.before!);
  // Fewer than a page: older messages may exist only in the database.
  if (older.length < query.limit) return undefined;
  return { messages: older.slice(-query.limit), hasMore: true };
}
