import { createEvent, parseEvent, serializeEvent } from '@chat/contracts';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { originOf, type InboundRecord } from '../kafka/record.js';
import type { Delivery } from '../pipeline/types.js';
import { validation } from './middleware.js';

const event = createEvent(
  'room.renamed',
  { roomId: 'r1', name: 'Ops', renamedBy: 'u1' },
  { correlationId: 'c1' },
);

function delivery(value: Buffer): Delivery {
  const record: InboundRecord = {
    topic: 't',
    partition: 0,
    offset: '0',
    key: null,
    value,
    headers: {},
    timestamp: 0,
  };
  return {
    record,
    origin: originOf(record),
    attempt: 1,
    log: pino({ level: 'silent' }),
    heartbeat: async () => undefined,
    signal: new AbortController().signal,
  };
}

const middleware = (accepted: string[]) =>
  validation({ validate: (record) => parseEvent(record.value!), accepts: (type) => accepted.includes(type) });

describe('validation', () => {
  it('hands a checked event to the next step', async () => {
    const seen: unknown[] = [];
    const handler = middleware(['room.renamed'])(async (d) => {
      seen.push(d.event);
      return 'success';
    });
    await expect(handler(delivery(serializeEvent(event)))).resolves.toBe('success');
    expect(seen).toEqual([event]);
  });

  it('acknowledges event types the listener does not handle without calling it', async () => {
    let called = false;
    const handler = middleware(['room.created'])(async () => {
      called = true;
      return 'success';
    });
    await expect(handler(delivery(serializeEvent(event)))).resolves.toBe('skipped');
    expect(called).toBe(false);
  });

  it('fails a poison record before anything else sees it', async () => {
    const handler = middleware(['room.renamed'])(async () => 'success');
    await expect(handler(delivery(Buffer.from('nope')))).rejects.toMatchObject({
      code: 'EVENT_NOT_JSON',
      retryable: false,
    });
  });
});
