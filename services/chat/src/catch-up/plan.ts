import type { ChatMessage } from '@chat/contracts';
import type { WindowView } from '../delivery/room-windows.js';

export type CatchUpStep =
  /** Memory covers everything after `after`: send these, then go live. */
  | { kind: 'from-window'; messages: ChatMessage[] }
  /** Memory starts later: first fetch positions in (after, before) from the cache or the database. */
  | { kind: 'fetch-older'; after: number; before: number };

/** What a resume of one room needs next, given what the client has and what memory holds. */
export function planCatchUp(after: number, window: WindowView): CatchUpStep {
  if (after + 1 >= window.from) {
    return { kind: 'from-window', messages: window.messages.filter((message) => message.position > after) };
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
