import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, feedChannel, roomOfChannel } from './feed-frame.js';

describe('feed frames', () => {
  it('carries a record across byte for byte, with its place and trace', () => {
    const value = Buffer.from('{"text":"héllo\\n"}');
    const frame = {
      topic: 'messages' as const,
      partition: 3,
      offset: 41,
      before: 17,
      traceparent: 'tp',
      value,
    };
    const decoded = decodeFrame(encodeFrame(frame));
    expect(decoded).toEqual(frame);
    expect(
      decodeFrame(encodeFrame({ ...frame, topic: 'receipts', before: -1, traceparent: undefined })),
    ).toEqual({
      topic: 'receipts',
      partition: 3,
      offset: 41,
      before: -1,
      value,
    });
  });

  it('drops bytes no owner wrote', () => {
    for (const bytes of [
      'no header',
      '{"k":"x","p":0,"o":0,"b":-1}\n{}',
      '{"k":"m","p":-1,"o":0,"b":0}\n',
      '{oops\n',
    ])
      expect(decodeFrame(Buffer.from(bytes))).toBeUndefined();
  });

  it('names a room channel with the room as its hash tag', () => {
    expect(feedChannel('room-1')).toBe('chat:feed:{room-1}');
    expect(roomOfChannel(feedChannel('room-1'))).toBe('room-1');
    expect(roomOfChannel('chat:other')).toBeUndefined();
  });
});
