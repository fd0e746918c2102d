import { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, type Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ensureTopics } from './topics.js';

/** A broker that has just created a topic and answers "unknown topic" `unknownAnswers` times. */
function freshBroker(unknownAnswers: number, wrap: (error: Error) => Error) {
  let asked = 0;
  const admin = {
    listTopics: async () => [],
    createTopics: async () => true,
    fetchTopicOffsets: async () => {
      asked += 1;
      if (asked <= unknownAnswers) {
        const answer = Object.assign(new Error('This server does not host this topic-partition'), {
          type: 'UNKNOWN_TOPIC_OR_PARTITION',
          code: 3,
        });
        throw wrap(new KafkaJSProtocolError(answer));
      }
      return [];
    },
  } as unknown as Admin;
  return { admin, asked: () => asked };
}

const spec = { name: 't', partitions: 1, config: {} };

describe('ensureTopics', () => {
  it('waits while the broker does not serve the new topic yet, also when KafkaJS wrapped that answer', async () => {
    for (const wrap of [
      (error: Error) => error,
      (error: Error) => new KafkaJSNumberOfRetriesExceeded(error, { retryCount: 5, retryTime: 100 }),
    ]) {
      const broker = freshBroker(2, wrap);
      await ensureTopics(broker.admin, [spec]);
      expect(broker.asked()).toBe(3);
    }
  });

  it('gives up at its deadline', async () => {
    const broker = freshBroker(Number.MAX_SAFE_INTEGER, (error) => error);
    await expect(ensureTopics(broker.admin, [spec], { timeoutMs: 250 })).rejects.toThrow('does not host');
  });
});
