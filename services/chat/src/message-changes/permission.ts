import type { ChatMessage, SocketErrorCode } from '@chat/contracts';
import type { SendAccess } from '@chat/membership';

export type ChangeKind = 'edit' | 'delete';

export interface ChangeFacts {
  kind: ChangeKind;
  userId: string;
  /** The message as this instance knows it; undefined when it is not one of the room's. */
  message: ChatMessage | undefined;
  access: SendAccess;
  /** The user is an owner or admin of the room (asked only when it matters). */
  moderator: () => Promise<boolean>;
}

/**
 * Who may change a message: the sender edits and deletes their own (a
 * blocked sender may still delete, not edit); an owner or admin deletes
 * anyone's. A deleted message is gone: neither is possible any more.
 * Returns the refusal, or undefined when the change may go ahead.
 */
export async function changeRefusal(facts: ChangeFacts): Promise<SocketErrorCode | 'READ_ONLY' | undefined> {
  const { kind, userId, message, access } = facts;
  if (access === 'not-member') return 'NOT_A_MEMBER';
  if (access === 'read-only') return 'READ_ONLY';
  if (!message || message.deleted) return 'UNKNOWN_MESSAGE';
  const own = message.senderId === userId;
  if (kind === 'edit') {
    if (!own) return 'NOT_ALLOWED';
    return access === 'blocked' ? 'SENDER_BLOCKED' : undefined;
  }
  if (own || (await facts.moderator())) return undefined;
  return 'NOT_ALLOWED';
}
