import { createHash } from 'node:crypto';

/** The namespace of chat message ids (a fixed, random UUID: never change it, ids would change with it). */
export const MESSAGE_ID_NAMESPACE = '6f1c2a52-4d0e-4a5b-9a43-2f8e8c1d7b90';

/** Namespaces' bytes, parsed once: an id is computed for every send. */
const namespaceBytes = new Map<string, Buffer>();

function uuidBytes(uuid: string): Buffer {
  let bytes = namespaceBytes.get(uuid);
  if (!bytes) namespaceBytes.set(uuid, (bytes = Buffer.from(uuid.replace(/-/g, ''), 'hex')));
  return bytes;
}

/** RFC 4122 UUIDv5 (SHA-1, name-based). */
export function uuidV5(name: string, namespace: string): string {
  const bytes = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The message id of a send: the same (sender, room, clientMessageId) always
 * gives the same id, whatever happened to an earlier attempt and whether Redis
 * is up. The room is part of it, so a clientMessageId used again in another
 * room is another message, never mistaken for a retry. The parts are separated
 * by a character no id may contain.
 */
export function messageIdOf(senderId: string, roomId: string, clientMessageId: string): string {
  return uuidV5(`${senderId}\n${roomId}\n${clientMessageId}`, MESSAGE_ID_NAMESPACE);
}

export interface ChangeTarget {
  kind: 'edit' | 'delete';
  roomId: string;
  messageId: string;
  clientRequestId: string;
}

/**
 * The id of an edit or delete, the same way: (user, kind, room, message,
 * clientRequestId) always names the same change, and a clientRequestId used
 * again for another message or the other kind is another change.
 */
export function changeIdOf(userId: string, target: ChangeTarget): string {
  const { kind, roomId, messageId, clientRequestId } = target;
  return uuidV5(
    `change\n${userId}\n${kind}\n${roomId}\n${messageId}\n${clientRequestId}`,
    MESSAGE_ID_NAMESPACE,
  );
}
