import {
  applyMessageUpdate,
  type ChangeAck,
  type ChatMessage,
  type ErrorBody,
  type MemberRole,
  type MessageUpdate,
} from '@chat/contracts';
import { retryDelay } from './retry-delay.js';

/** Who may change a message on this page: what the gateway enforces, so nobody is offered a button that must fail. */
export const mayEdit = (message: ChatMessage, me: string): boolean =>
  message.senderId === me && !message.deleted;
export const mayDelete = (message: ChatMessage, me: string, role: MemberRole): boolean =>
  !message.deleted && (message.senderId === me || role === 'owner' || role === 'admin');

/** The room's messages with an edit or delete applied to the one it names (a late or repeated one changes nothing). */
export function applyUpdate(messages: ChatMessage[], update: MessageUpdate): ChatMessage[] {
  const index = messages.findIndex((message) => message.messageId === update.messageId);
  if (index < 0) return messages;
  const updated = applyMessageUpdate(messages[index]!, update);
  if (updated === messages[index]) return messages;
  return messages.map((message, at) => (at === index ? updated : message));
}

const ATTEMPTS = 3;

/**
 * Sends one edit or delete until it is answered: a timeout or a retryable
 * refusal is retried with the same clientRequestId (the gateway applies it
 * once). Resolves with the final refusal, or undefined once accepted.
 */
export async function requestChange(
  emit: (clientRequestId: string) => Promise<ChangeAck | undefined>,
): Promise<ErrorBody | undefined> {
  const clientRequestId = crypto.randomUUID();
  let last: ErrorBody | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const reply = await emit(clientRequestId);
    if (reply && !('error' in reply)) return undefined;
    last = reply?.error;
    if (last && !last.retryable) return last;
    if (attempt + 1 < ATTEMPTS)
      await new Promise((resolve) => setTimeout(resolve, retryDelay(attempt + 1, last?.retryAfterMs)));
  }
  return last ?? { code: 'UNAVAILABLE', message: 'no answer', retryable: true };
}
