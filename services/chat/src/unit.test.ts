import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '@chat/contracts';
import type { SendAccess } from '@chat/membership';
import { mergeCatchUp, planCatchUp } from './catch-up/plan.js';
import { murmur2, partitionOf } from './delivery/partition-of.js';
import { RoomWindows } from './delivery/room-windows.js';
import { pageFromCache } from './history/page.js';
import { CachedMembership } from './membership/membership.js';
import { OVERLOADED_RETRY_AFTER_MS, SendAdmission } from './send/admission.js';
import { errorBody } from './socket/errors.js';
import { TypingExpiry } from './presence/presence.js';
import { messageIdOf, uuidV5 } from './send/message-id.js';

const require = createRequire(import.meta.url);
const msg = (position: number, roomId = 'r', id = `m${position}`): ChatMessage => ({
  messageId: id,
  roomId,
  senderId: 'u',
  clientMessageId: id,
  text: 't',
  sentAt: new Date(0).toISOString(),
  position,
});

describe('message ids', () => {
  it('is RFC 4122 v5 (known vector) and deterministic per sender and clientMessageId', () => {
    // uuid v5 of "www.example.com" in the DNS namespace.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    expect(messageIdOf('alice', 'c1')).toBe(messageIdOf('alice', 'c1'));
    expect(messageIdOf('alice', 'c1')).not.toBe(messageIdOf('bob', 'c1'));
  });
});

describe('partitionOf', () => {
  it('matches the KafkaJS default partitioner', () => {
    const kafkaMurmur = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (
      key: Buffer,
    ) => number;
    for (const key of ['room-1', 'a', 'ab', 'abc', 'abcd', 'élan', 'room-xyz-123456']) {
      expect(murmur2(Buffer.from(key))).toBe(kafkaMurmur(Buffer.from(key)));
      expect(partitionOf(key, 6)).toBe((kafkaMurmur(Buffer.from(key)) & 0x7fffffff) % 6);
    }
  });
});

describe('room windows', () => {
  it('drops duplicates by messageId and stale positions, and trims with a moving start', () => {
    const windows = new RoomWindows(3);
    windows.setPartitionStarts(new Map([[partitionOf('r', 1), 10]]), 1);
    expect(windows.view('r').from).toBe(10);
    expect(windows.add(msg(9))).toBe(false);
    expect(windows.add(msg(10))).toBe(true);
    expect(windows.add(msg(12, 'r', 'm10'))).toBe(false);
    expect(windows.add(msg(11))).toBe(true);
    expect(windows.add(msg(11))).toBe(false);
    windows.add(msg(13));
    windows.add(msg(15));
    expect(windows.view('r').from).toBe(11);
    expect(windows.view('r').messages.map((m) => m.position)).toEqual([11, 13, 15]);
  });
});

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

describe('history pages from the cache', () => {
  const cached = [msg(5), msg(8), msg(9), msg(11)];
  it('serves what the cache provably holds and defers the rest to the database', () => {
    expect(pageFromCache(cached, { after: 8, limit: 20 })?.messages.map((m) => m.position)).toEqual([9, 11]);
    expect(pageFromCache(cached, { after: 2, limit: 20 })).toBeUndefined();
    expect(pageFromCache(cached, { limit: 2 })).toEqual({ messages: [msg(9), msg(11)], hasMore: true });
    expect(pageFromCache(cached, { before: 9, limit: 5 })).toBeUndefined();
    expect(pageFromCache([], { limit: 5 })).toBeUndefined();
  });
});

describe('membership cache', () => {
  it('remembers yes briefly, never no, and forgets a changed room', async () => {
    let calls = 0;
    let access: SendAccess = 'allowed';
    let now = 0;
    const cache = new CachedMembership(
      {
        isMember: async () => (calls++, access !== 'not-member'),
        sendAccess: async () => (calls++, access),
        membersOf: async () => ['u'],
      },
      1000,
      () => now,
    );
    expect(await cache.sendAccess('r', 'u')).toBe('allowed');
    expect(await cache.sendAccess('r', 'u')).toBe('allowed');
    expect(calls).toBe(1);
    access = 'blocked';
    cache.forget('r');
    expect(await cache.sendAccess('r', 'u')).toBe('blocked');
    expect(await cache.sendAccess('r', 'u')).toBe('blocked');
    expect(calls).toBe(3);
    now = 5000;
  });
});

describe('typing expiry', () => {
  it('ends an unrepeated typing after the TTL, re-arms on a repeat, disarms on false', () => {
    vi.useFakeTimers();
    try {
      const ended: string[] = [];
      const expiry = new TypingExpiry(1000, (notice) => ended.push(`${notice.userId}:${notice.typing}`));
      expiry.seen({ roomId: 'r', userId: 'a', typing: true });
      expiry.seen({ roomId: 'r', userId: 'b', typing: true });
      vi.advanceTimersByTime(600);
      expiry.seen({ roomId: 'r', userId: 'a', typing: true });
      expiry.seen({ roomId: 'r', userId: 'b', typing: false });
      vi.advanceTimersByTime(600);
      expect(ended).toEqual([]);
      vi.advanceTimersByTime(400);
      expect(ended).toEqual(['a:false']);
      expect(expiry.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('send admission', () => {
  it('refuses past the bound at once, retryable after a pause, and admits again when a send ends', async () => {
    const admission = new SendAdmission(2);
    const gate = () => {
      let resolve!: (value: string) => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<string>((done, fail) => ((resolve = done), (reject = fail)));
      return { promise, resolve, reject };
    };
    const gates = [gate(), gate()];
    const first = admission.run(() => gates[0]!.promise);
    const second = admission.run(() => gates[1]!.promise);
    expect(admission.inFlight).toBe(2);
    let ran = false;
    const refused = await admission
      .run(async () => {
        ran = true;
      })
      .catch((error: unknown) => errorBody(error));
    expect(ran).toBe(false);
    expect(refused).toMatchObject({
      code: 'OVERLOADED',
      retryable: true,
      retryAfterMs: OVERLOADED_RETRY_AFTER_MS,
    });
    gates[0]!.resolve('one');
    expect(await first).toBe('one');
    expect(await admission.run(async () => 'three')).toBe('three');
    gates[1]!.reject(new Error('failed'));
    await expect(second).rejects.toThrow('failed');
    expect(admission.inFlight).toBe(0);
  });
});
