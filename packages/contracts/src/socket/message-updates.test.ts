import { describe, expect, it } from 'vitest';
import { applyMessageUpdate } from './message-updates.js';
import type { ChatMessage, MessageUpdate } from './protocol.js';

const message: ChatMessage = {
  messageId: 'm-1',
  roomId: 'r-1',
  senderId: 'u-1',
  clientMessageId: 'c-1',
  text: 'first',
  sentAt: '2026-01-01T00:00:00.000Z',
  position: 10,
};
const edit = (position: number, text: string): MessageUpdate => ({
  roomId: 'r-1',
  messageId: 'm-1',
  position,
  change: 'edited',
  text,
  at: '2026-01-01T00:01:00.000Z',
});
const deletion = (position: number): MessageUpdate => ({
  roomId: 'r-1',
  messageId: 'm-1',
  position,
  change: 'deleted',
  at: '2026-01-01T00:02:00.000Z',
});

describe('applyMessageUpdate', () => {
  it('applies a later edit and ignores an older or repeated one', () => {
    const edited = applyMessageUpdate(message, edit(12, 'second'));
    expect(edited).toMatchObject({ text: 'second', editedAt: '2026-01-01T00:01:00.000Z', revision: 12 });
    expect(applyMessageUpdate(edited, edit(11, 'stale'))).toBe(edited);
    expect(applyMessageUpdate(edited, edit(12, 'second'))).toBe(edited);
  });

  it('makes a delete final: the text goes and no edit brings it back', () => {
    const deleted = applyMessageUpdate(applyMessageUpdate(message, edit(12, 'second')), deletion(13));
    expect(deleted).toMatchObject({ text: '', deleted: true, revision: 13 });
    expect(applyMessageUpdate(deleted, edit(14, 'again'))).toBe(deleted);
  });
});
