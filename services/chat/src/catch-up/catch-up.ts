import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatMessage, MessageUpdate } from '@chat/contracts';
import type { Logger } from '@chat/runtime';
import type { RecentCache } from '@chat/recent-cache';
import type { RoomWindows } from '../delivery/room-windows.js';
import type { HistoryService } from '../history/history.js';
import type { CommittedOffsets } from './committed-offsets.js';
import { catchUpStream, mergeCatchUp, planCatchUp } from './plan.js';

export interface CatchUpTarget {
  /** Sends one message to the socket. */
  send(message: ChatMessage): void;
  /** Sends one edit or delete of a message to the socket. */
  update(update: MessageUpdate): void;
  /** Puts the socket in the room's live stream; called in the same tick as the last catch-up send. */
  join(): void;
  /** The older part is not in MongoDB yet: tell the client the room is catching up. */
  waiting(): void;
  /** False once nobody waits for this catch-up (the socket left or its request gave up): it stops. */
  readonly connected: boolean;
}

export type CatchUpSource = 'memory' | 'cache' | 'database';

export interface CatchUpResult {
  sent: number;
  last: number;
  source: CatchUpSource;
}

const PAGE = 1_000;

/**
 * Brings one socket up to date in one room and then live, with no gap and no
 * duplicate at the seam: the older part (below the memory window) is
 * fetched first, from the recent cache when it provably covers it, else from
 * MongoDB once the persistence group has committed past the window start;
 * then, in one synchronous step, the older part, the window's messages and
 * the join into the live stream. Nothing can be delivered live in between,
 * because nothing else runs in that step.
 */
export class CatchUp {
  constructor(
    private readonly deps: {
      windows: RoomWindows;
      cache: RecentCache;
      history: HistoryService;
      persisted: CommittedOffsets;
      logger: Logger;
      retryMs?: number;
      timeoutMs?: number;
    },
  ) {}

  async resume(roomId: string, after: number, target: CatchUpTarget): Promise<CatchUpResult> {
    const { windows } = this.deps;
    const older: ChatMessage[] = [];
    // Edits and deletes, in the older part, of messages the client already has.
    const olderUpdates: MessageUpdate[] = [];
    let covered = after;
    let source: CatchUpSource = 'memory';
    const deadline = Date.now() + (this.deps.timeoutMs ?? 60_000);
    for (;;) {
      // Gone, or given up by its request's deadline: stop working for nobody.
      if (!target.connected) return { sent: 0, last: after, source };
      const view = windows.view(roomId);
      const plan = planCatchUp(covered, view);
      if (plan.kind === 'from-window') {
        const messages = mergeCatchUp(older, view.messages, after);
        const stream = catchUpStream(messages, [...olderUpdates, ...plan.updates], after);
        let last = after;
        for (const item of stream) {
          if (item.kind === 'message') target.send(item.message);
          else target.update(item.update);
          last = item.kind === 'message' ? item.message.position : item.update.position;
        }
        target.join();
        return { sent: stream.length, last, source };
      }
      if (Date.now() > deadline) throw new Error(`catch-up of ${roomId} did not complete in time`);
      // The changes of the older part come from the store's change log: wait until it holds them.
      const partition = windows.partitionOfRoom(roomId);
      if (!(await this.deps.persisted.atLeast(partition, plan.before))) {
        target.waiting();
        await sleep(this.deps.retryMs ?? 250);
        continue;
      }
      const fromCache = await this.fromCache(roomId, plan.after, plan.before, view.messages[0]);
      const page = fromCache ?? (await this.deps.history.range(roomId, plan.after, plan.before, PAGE));
      const until = fromCache || page.length < PAGE ? plan.before - 1 : page[page.length - 1]!.position;
      olderUpdates.push(...(await this.deps.history.updatesBetween(roomId, plan.after, until + 1, after)));
      older.push(...page);
      source = fromCache ? 'cache' : 'database';
      covered = until;
    }
  }

  /** The cache's messages in (after, before) when it provably holds all of them. */
  private async fromCache(
    roomId: string,
    after: number,
    before: number,
    firstInWindow: ChatMessage | undefined,
  ): Promise<ChatMessage[] | undefined> {
    if (!firstInWindow) return undefined;
    try {
      const cached = await this.deps.cache.read(roomId);
      const first = cached[0];
      // Contiguous from a message the client has, through the window's first message: nothing in between is missing.
      if (!first || first.position > after) return undefined;
      if (!cached.some((message) => message.messageId === firstInWindow.messageId)) return undefined;
      return cached.filter((message) => message.position > after && message.position < before);
    } catch {
      return undefined;
    }
  }
}
