import { chatMessage as msg } from '@chat/testkit/events';
import { describe, expect, it } from 'vitest';
import { mergeCatchUp, planCatchUp } from './plan.js';

describe('catch-up planning', () => {
  it('serves from memory when the window reaches back far enough, else asks for the older part', () => {
    const view = { from: 10, messages: [msg(10), msg(12)] };
    expect(planCatchUp(9, view)).toEqual({ kind: 'from-window', messages: [msg(10), msg(12)] });
    expect(planCatchUp(10, view)).toEqual({ kind: 'from-window', messages: [msg(12)] });
    expect(planCatchUp(3, view)).toEqual({ kind: 'fetch-older', after: 3, before: 10 });
  });

  it('merges older and window parts in order, each message once', () => {
    const merged = mergeCatchUp([msg(4), msg(7)], [msg(7), msg(10), msg(12, 'r', 'm4')], 3);
    expect(merged.map((m) => m.position)).toEqual([4, 7, 10]);
  });
});
