import type { RoomApiError } from './room-api.js';

/** What a person reads for each refusal of the room service; the code stays on the element for tests and support. */
const ROOM_ERROR_TEXT: Partial<Record<RoomApiError['code'], string>> = {
  FORBIDDEN: 'You are not allowed to do that in this room.',
  NOT_A_MEMBER: 'You are not a member of this room any more.',
  ROOM_NOT_FOUND: 'That room does not exist any more.',
  MEMBER_NOT_FOUND: 'That person is not in this room any more.',
  ROOM_ARCHIVED: 'This room is archived: nothing in it can change.',
  DIRECT_ROOM_FIXED: 'A direct conversation always has the same two people.',
  OWNER_CANNOT_LEAVE: 'The owner cannot leave the room.',
  ROOM_FULL: 'This room is full.',
  VALIDATION_FAILED: 'That was not accepted; check what you typed.',
  NETWORK: 'The room service cannot be reached; try again.',
};

/** A refusal as shown on the page: the person's text and the code. */
export function roomErrorText(error: unknown): { text: string; code?: string } {
  const code = (error as Partial<RoomApiError>).code;
  if (!code) return { text: (error as Error).message };
  return { text: ROOM_ERROR_TEXT[code] ?? 'That did not work; try again in a moment.', code };
}
