import { messageSent } from '@chat/testkit/events';
import { pino } from 'pino';
import type { Delivery } from '../../src/pipeline/types.js';

/** A validated delivery of a fresh message event, for middleware tests without a broker. */
export function fakeDelivery(overrides: Partial<Delivery> = {}): Delivery {
  const event = messageSent('room-unit');
  return {
    record: {
      topic: 'unit',
      partition: 0,
      offset: '7',
      key: Buffer.from('room-unit'),
      value: Buffer.from(JSON.stringify(event)),
      headers: {},
      timestamp: 0,
    },
    origin: { topic: 'unit', partition: 0, offset: '7', timestamp: '0', priorAttempts: 0 },
    attempt: 1,
    event,
    log: pino({ level: 'silent' }),
    heartbeat: async () => undefined,
    signal: new AbortController().signal,
    ...overrides,
  };
}
