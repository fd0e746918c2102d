import { chatMessage as msg } from '@chat/testkit/events';
import { describe, expect, it } from 'vitest';
import { catchUpStream, mergeCatchUp, planCatchUp } from './plan.js';

describe('catch-up planning', () => {
  it('serves from memory when the window reaches back far enough, else asks for the older part', () => {
    const edit = {
      roomId: 'r',
      messageId: 'm10',
      position: 11,
      change: 'edited',
      text: 'x',
      at: msg(0).sentAt,
    } as const;
    const view = { from: 10, messages: [msg(10), msg(12)], updates: [edit] };
    expect(planCatchUp(9, view)).toEqual({
      kind: 'from-window',
      messages: [msg(10), msg(12)],
      updates: [edit],
    });
    expect(planCatchUp(11, view)).toEqual({ kind: 'from-window', messages: [msg(12)], updates: [] });
    expect(planCatchUp(3, view)).toEqual({ kind: 'fetch-older', after: 3, before: 10 });
  });

  it('merges older and window parts in order, each message once', () => {
    const merged = mergeCatchUp([msg(4), msg(7)], [msg(7), msg(10), msg(12, 'r', 'm4')], 3);
    expect(merged.map((m) => m.position)).toEqual([4, 7, 10]);
  });

  it("interleaves updates above the client's position with the messages, by position", () => {
    const update = (position: number) =>
      ({ roomId: 'r', messageId: 'm1', position, change: 'deleted', at: msg(0).sentAt }) as const;
    const stream = catchUpStream([msg(4), msg(7)], [update(2), update(5), update(8)], 3);
    expect(
      stream.map((item) => (item.kind === 'message' ? item.message.position : -item.update.position)),
    ).toEqual([4, -5, 7, -8]);
  });
});
