import type { DownstreamBreaker } from '@chat/base-listener';
import { createEvent, type ReceiptRequest, type ReceiptResult } from '@chat/contracts';
import type { Redis } from 'ioredis';
import type { RoomWindows } from '../delivery/room-windows.js';
import type { HistoryService } from '../history/history.js';
import type { MembershipCheck } from '../membership/membership.js';
import type { EventPublisher } from '../send/publisher-port.js';
import { withTimeout } from '../send/publisher-port.js';
import { refuse } from '../socket/errors.js';

export const receiptKey = (roomId: string, messageId: string): string =>
  `chat:receipts:${roomId}:${messageId}`;

/**
 * Moves a user's receipt forward only (sent → delivered → read), atomically.
 * Returns the previous status when it moved, false when it did not.
 * KEYS: hash. ARGV: userId, status, ttl seconds.
 */
const ADVANCE = `
local rank = { sent = 0, delivered = 1, read = 2 }
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and rank[current] >= rank[ARGV[2]] then return false end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return current or 'sent'
`;
/** Undoes an advance whose publish failed, unless something moved it further since. */
const UNDO = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  if ARGV[3] == 'sent' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
end
return 1
`;

const TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * Receipts: the message must be one of the room's, then the forward-only check in Redis, then a ReceiptUpdated event
 * (persisted by the worker, shown to members by every instance's consumer).
 * A repeat or a step back is a no-op. While Redis is down the event is
 * published anyway: the worker stores receipts forward-only, so the worst
 * case is a repeated tick notice, never a step back.
 */
export class ReceiptService {
  constructor(
    private readonly deps: {
      redis: Redis;
      membership: MembershipCheck;
      publisher: EventPublisher;
      breaker: DownstreamBreaker;
      topic: string;
      timeoutMs: number;
      /** Where the named message is looked for: this instance's window first, then the cache and the store. */
      windows: RoomWindows;
      history: HistoryService;
    },
  ) {}

  async record(userId: string, request: ReceiptRequest, correlationId: string): Promise<ReceiptResult> {
    const { redis, membership, publisher, breaker } = this.deps;
    if (!(await membership.isMember(request.roomId, userId))) throw refuse('NOT_A_MEMBER');
    // A receipt must name a message of its own room: never another room's, never one that does not exist.
    const known =
      this.deps.windows.has(request.roomId, request.messageId) ||
      (await this.deps.history.holds(request.roomId, request.messageId));
    if (!known) throw refuse('UNKNOWN_MESSAGE');
    const key = receiptKey(request.roomId, request.messageId);
    let previous: string | null | undefined;
    try {
      previous = (await redis.eval(ADVANCE, 1, key, userId, request.status, TTL_SECONDS)) as string | null;
      if (previous === null) return { status: 'unchanged' };
    } catch {
      previous = undefined;
    }
    const event = createEvent(
      'chat.receipt.updated',
      { ...request, userId, at: new Date().toISOString() },
      { correlationId, idempotencyKey: `receipt:${request.messageId}:${userId}:${request.status}` },
    );
    try {
      if (!publisher.connected) throw new Error('Kafka publisher is not connected');
      await breaker.run(() =>
        withTimeout(publisher.publish([event], this.deps.topic), this.deps.timeoutMs, 'receipt publish'),
      );
    } catch {
      if (previous) await redis.eval(UNDO, 1, key, userId, request.status, previous).catch(() => undefined);
      throw refuse('UNAVAILABLE');
    }
    return { status: 'recorded' };
  }
}
