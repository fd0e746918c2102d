import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS } from '@chat/contracts';
import type { Scenario } from '../scenario.js';

/** Enough keys to land on every partition of the messages topic. */
const POISON_RECORDS = 24;

/**
 * Records no consumer can read (not JSON, then JSON that is no event) land
 * on the messages topic among the real ones: every consumer must move them
 * to its dead-letter topic and go on, losing and blocking nothing.
 */
export const poisonEvents: Scenario = {
  name: 'poison events on the messages topic',
  ci: true,
  async inject({ servers }) {
    const producer = new Kafka({
      clientId: 'fault-poison',
      brokers: servers.directBrokers,
      logLevel: logLevel.NOTHING,
    }).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({
        topic: TOPICS.messages,
        acks: -1,
        messages: Array.from({ length: POISON_RECORDS }, (_, i) => ({
          key: randomUUID(),
          value:
            i % 2 === 0
              ? '{not json'
              : JSON.stringify({ type: 'chat.message.sent', version: 1, payload: {} }),
        })),
      });
    } finally {
      await producer.disconnect();
    }
  },
};
