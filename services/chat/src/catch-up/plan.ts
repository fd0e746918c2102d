import type { ChatMessage, MessageUpdate } from '@chat/contracts';
import type { WindowView } from '../delivery/room-windows.js';

export type CatchUpStep =
  /** Memory covers everything after `after`: send these, then go live. */
  | { kind: 'from-window'; messages: ChatMessage[]; updates: MessageUpdate[] }
  /** Memory starts later: first fetch positions in (after, before) from the cache or the database. */
  | { kind: 'fetch-older'; after: number; before: number };

/** What a resume of one room needs next, given what the client has and what memory holds. */
export function planCatchUp(after: number, window: WindowView): CatchUpStep {
  if (after + 1 >= window.from) {
    return {
      kind: 'from-window',
      messages: window.messages.filter((message) => message.position > after),
      updates: window.updates.filter((update) => update.position > after),
    };
  }
  return { kind: 'fetch-older', after, before: window.from };
}

/**
 * Joins fetched older messages and the window's messages into the one
 * sequence a client receives: ascending positions, each messageId once.
 */
export function mergeCatchUp(
  older: readonly ChatMessage[],
  window: readonly ChatMessage[],
  after: number,
): ChatMessage[] {
  const out: ChatMessage[] = [];
  const seen = new Set<string>();
  let last = after;
  for (const message of [...older, ...window]) {
    if (message.position <= last || seen.has(message.messageId)) continue;
    out.push(message);
    seen.add(message.messageId);
    last = message.position;
  }
  return out;
}

/** One thing a catching-up client receives: a message, or an edit or delete of one. */
export type CatchUpItem =
  { kind: 'message'; message: ChatMessage } | { kind: 'update'; update: MessageUpdate };

/**
 * The whole catch-up in the room's order: the merged messages and every
 * update above `after`, by position (each position is one Kafka record, so
 * no two items share one).
 */
export function catchUpStream(
  messages: readonly ChatMessage[],
  updates: readonly MessageUpdate[],
  after: number,
): CatchUpItem[] {
  const items: { position: number; item: CatchUpItem }[] = [
    ...messages.map((message) => ({
      position: message.position,
      item: { kind: 'message', message } as const,
    })),
    ...updates
      .filter((update) => update.position > after)
      .map((update) => ({ position: update.position, item: { kind: 'update', update } as const })),
  ];
  return items.sort((a, b) => a.position - b.position).map(({ item }) => item);
}
