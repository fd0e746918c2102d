import { ValidationError } from '@chat/contracts';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BreakerOpenError, ForwardError } from '../errors/errors.js';
import type { Forwarder, OutboundRecord, SourceOffset } from '../kafka/forwarder.js';
import { originOf, type InboundRecord } from '../kafka/record.js';
import { ListenerEvents } from '../listener/events.js';
import type { Delivery } from '../pipeline/types.js';
import { forwardFailures } from './forwarding.js';

const record: InboundRecord = {
  topic: 'chat.messages.v1',
  partition: 0,
  offset: '9',
  key: Buffer.from('room-1'),
  value: Buffer.from('{}'),
  headers: {},
  timestamp: Date.now(),
};

function delivery(): Delivery {
  return {
    record,
    origin: originOf(record),
    attempt: 1,
    log: pino({ level: 'silent' }),
    heartbeat: async () => undefined,
    signal: new AbortController().signal,
  };
}

function recordingForwarder(fail?: Error): Forwarder & { sent: [OutboundRecord, SourceOffset][] } {
  const sent: [OutboundRecord, SourceOffset][] = [];
  return {
    sent,
    forward: async (outbound, source) => {
      if (fail) throw fail;
      sent.push([outbound, source]);
    },
  };
}

const base = {
  groupId: 'g',
  maxAttempts: 3,
  policy: { initialDelayMs: 100, multiplier: 2, maxDelayMs: 1_000, jitter: 0 },
  events: new ListenerEvents(),
};

describe('forwardFailures', () => {
  it('dead-letters a fatal failure and commits the offset after it', async () => {
    const forwarder = recordingForwarder();
    const handler = forwardFailures({ ...base, mode: 'topics', forwarder })(async () => {
      throw new ValidationError('bad');
    });
    await expect(handler(delivery())).resolves.toBe('dead-lettered');
    const [[outbound, source]] = forwarder.sent as [[OutboundRecord, SourceOffset]];
    expect(outbound.topic).toBe('g.dlq');
    expect(source).toEqual({ groupId: 'g', topic: 'chat.messages.v1', partition: 0, offset: '10' });
  });

  it('parks a transient failure in the first retry topic', async () => {
    const forwarder = recordingForwarder();
    const handler = forwardFailures({ ...base, mode: 'topics', forwarder })(async () => {
      throw new Error('timeout');
    });
    await expect(handler(delivery())).resolves.toBe('retry-scheduled');
    expect(forwarder.sent[0]?.[0].topic).toBe('g.chat.messages.v1.retry.1');
  });

  it('never swallows a failed forward: both errors surface and nothing counts as done', async () => {
    const original = new ValidationError('bad');
    const handler = forwardFailures({
      ...base,
      mode: 'blocking',
      forwarder: recordingForwarder(new Error('broker down')),
    })(async () => {
      throw original;
    });
    const error = await handler(delivery()).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ForwardError);
    expect((error as ForwardError).original).toBe(original);
    expect((error as ForwardError).message).toMatch(/broker down.*bad/);
  });

  it('lets an open breaker through untouched, so the listener pauses instead', async () => {
    const forwarder = recordingForwarder();
    const handler = forwardFailures({ ...base, mode: 'blocking', forwarder })(async () => {
      throw new BreakerOpenError('db');
    });
    await expect(handler(delivery())).rejects.toBeInstanceOf(BreakerOpenError);
    expect(forwarder.sent).toEqual([]);
  });
});
