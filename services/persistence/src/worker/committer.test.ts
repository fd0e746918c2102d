import type { Consumer, Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { FlushCommitter, type SourcedDeadLetter } from './committer.js';

/**
 * The consumer and producer calls the committer makes, recorded: what is
 * under test is which offsets and letters go into which commit.
 */
function fakeKafka() {
  const calls: string[] = [];
  let failures = 0;
  const fail = () => {
    if (failures > 0) {
      failures -= 1;
      throw new Error('broker unavailable');
    }
  };
  const consumer = {
    commitOffsets: async (points: { topic: string; partition: number; offset: string }[]) => {
      fail();
      calls.push(`commit ${points.map((p) => `${p.topic}/${p.partition}=${p.offset}`).join(' ')}`);
    },
  } as unknown as Consumer;
  const producer = {
    transaction: async () => ({
      send: async ({ topic, messages }: { topic: string; messages: { key: Buffer }[] }) =>
        void calls.push(`send ${topic} ${messages.map((m) => m.key).join(',')}`),
      sendOffsets: async ({ topics }: { topics: { topic: string; partitions: { offset: string }[] }[] }) =>
        void calls.push(
          `offsets ${topics.map((t) => `${t.topic}=${t.partitions.map((p) => p.offset).join(',')}`).join(' ')}`,
        ),
      commit: async () => {
        fail();
        calls.push('tx commit');
      },
      abort: async () => void calls.push('tx abort'),
    }),
  } as unknown as Producer;
  return { calls, consumer, producer, failNext: () => (failures += 1) };
}

const letter = (key: string, partition = 0): SourcedDeadLetter => ({
  source: { topic: 'm', partition },
  record: { topic: 'g.dlq', key: Buffer.from(key), value: Buffer.from('x'), headers: {} },
});

describe('FlushCommitter', () => {
  it('commits the highest staged offset per partition through the consumer when there are no dead letters', async () => {
    const kafka = fakeKafka();
    const committer = new FlushCommitter(kafka.consumer, kafka.producer, 'g');
    committer.stage([{ topic: 'm', partition: 0, offset: '5' }], []);
    committer.stage(
      [
        { topic: 'm', partition: 0, offset: '3' },
        { topic: 'm', partition: 1, offset: '2' },
      ],
      [],
    );
    await committer.commitStaged();
    await committer.commitStaged();
    expect(kafka.calls).toEqual(['commit m/0=5 m/1=2']);
  });

  it('puts dead letters and the offsets past them in one transaction', async () => {
    const kafka = fakeKafka();
    const committer = new FlushCommitter(kafka.consumer, kafka.producer, 'g');
    committer.stage([{ topic: 'm', partition: 0, offset: '8' }], [letter('a')]);
    await committer.commitStaged();
    expect(kafka.calls).toEqual(['send g.dlq a', 'offsets m=8', 'tx commit']);
  });

  it('keeps a failed commit staged, so the next one carries its dead letters', async () => {
    const kafka = fakeKafka();
    const committer = new FlushCommitter(kafka.consumer, kafka.producer, 'g');
    committer.stage([{ topic: 'm', partition: 0, offset: '4' }], [letter('a')]);
    kafka.failNext();
    await expect(committer.commitStaged()).rejects.toThrow('broker unavailable');
    committer.stage([{ topic: 'm', partition: 0, offset: '9' }], []);
    await committer.commitStaged();
    expect(kafka.calls).toEqual([
      'send g.dlq a',
      'offsets m=4',
      'tx abort',
      'send g.dlq a',
      'offsets m=9',
      'tx commit',
    ]);
  });

  it('forgets what was staged for partitions now owned elsewhere', async () => {
    const kafka = fakeKafka();
    const committer = new FlushCommitter(kafka.consumer, kafka.producer, 'g');
    committer.stage(
      [
        { topic: 'm', partition: 0, offset: '4' },
        { topic: 'm', partition: 1, offset: '6' },
      ],
      [letter('lost', 1)],
    );
    committer.forgetPartitions((_topic, partition) => partition === 0);
    await committer.commitStaged();
    expect(kafka.calls).toEqual(['commit m/0=4']);
  });
});
