import { describe, expect, expectTypeOf, it } from 'vitest';
import { MAX_MESSAGE_TEXT_LENGTH } from '../events/messages.js';
import {
  CLIENT_EVENT_SCHEMAS,
  SOCKET_ERRORS,
  SOCKET_ERROR_CODES,
  type ClientToServerEvents,
  type SendAck,
  type SendRequest,
} from './protocol.js';

describe('socket protocol', () => {
  it('types a send and its ack from the same definition as the schema', () => {
    expectTypeOf<SendRequest>().toEqualTypeOf<{ roomId: string; clientMessageId: string; text: string }>();
    expectTypeOf<Parameters<ClientToServerEvents['send']>[1]>().toEqualTypeOf<(reply: SendAck) => void>();
  });

  it('refuses oversized text, unknown fields and operator injection', () => {
    const schema = CLIENT_EVENT_SCHEMAS.send.joi;
    const ok = { roomId: 'r-1', clientMessageId: 'c-1', text: 'hi' };
    expect(schema.validate(ok).error).toBeUndefined();
    expect(schema.validate({ ...ok, text: 'x'.repeat(MAX_MESSAGE_TEXT_LENGTH + 1) }).error).toBeDefined();
    expect(schema.validate({ ...ok, senderId: 'mallory' }).error?.message).toMatch(/not allowed/);
    expect(schema.validate({ ...ok, roomId: { $ne: null } }).error).toBeDefined();
    expect(schema.validate({ ...ok, roomId: 'a$b' }).error).toBeDefined();
  });

  it('bounds edits and deletes as sends are bounded', () => {
    const edit = CLIENT_EVENT_SCHEMAS.edit.joi;
    const ok = {
      roomId: 'r-1',
      messageId: '6f1c2a52-4d0e-4a5b-9a43-2f8e8c1d7b90',
      clientRequestId: 'c-1',
      text: 'hi',
    };
    expect(edit.validate(ok).error).toBeUndefined();
    expect(edit.validate({ ...ok, text: 'x'.repeat(MAX_MESSAGE_TEXT_LENGTH + 1) }).error).toBeDefined();
    expect(edit.validate({ ...ok, text: '' }).error).toBeDefined();
    expect(edit.validate({ ...ok, editorId: 'mallory' }).error).toBeDefined();
    const { text: _text, ...deletion } = ok;
    expect(CLIENT_EVENT_SCHEMAS.delete.joi.validate(deletion).error).toBeUndefined();
    expect(CLIENT_EVENT_SCHEMAS.delete.joi.validate(ok).error).toBeDefined();
  });

  it('bounds resume and history requests', () => {
    expect(CLIENT_EVENT_SCHEMAS.resume.joi.validate({ rooms: [] }).error).toBeDefined();
    expect(
      CLIENT_EVENT_SCHEMAS.resume.joi.validate({ rooms: [{ roomId: 'r', after: -1 }] }).error,
    ).toBeUndefined();
    expect(CLIENT_EVENT_SCHEMAS.history.joi.validate({ roomId: 'r', limit: 101 }).error).toBeDefined();
  });

  it('says for every error code whether a retry can help, its HTTP status and its message', () => {
    for (const code of Object.values(SOCKET_ERROR_CODES)) {
      expect(typeof SOCKET_ERRORS[code].retryable).toBe('boolean');
      expect(SOCKET_ERRORS[code].status).toBeGreaterThanOrEqual(400);
      expect(SOCKET_ERRORS[code].message.length).toBeGreaterThan(0);
    }
    expect(SOCKET_ERRORS.UNAVAILABLE.retryable).toBe(true);
    expect(SOCKET_ERRORS.NOT_A_MEMBER.retryable).toBe(false);
  });
});
