import type { TopicSpec } from '@chat/contracts';
import { type Admin, Kafka, Partitioners, logLevel } from 'kafkajs';
import { uniqueName } from '../unique-name.js';
import { waitFor } from '../wait-for.js';
import { type RawRecord, type ReadRecord, byPosition, readRecord } from './records.js';

/**
 * The kit's topic creation (`ensureTopics` from `@chat/base-listener`), passed
 * in rather than imported: the kit's own tests use this module, and a
 * dependency back on it would make a workspace cycle.
 */
export type EnsureTopics = (admin: Admin, specs: readonly TopicSpec[]) => Promise<void>;

export interface KafkaKitOptions {
  brokers: string[];
  clientId: string;
  ensureTopics: EnsureTopics;
}

/**
 * Kafka as tests use it: fresh topics, raw records in, what a separate
 * reader finds out, group state. Plain functions, so a suite's support file
 * can hand them out by name.
 */
export function kafkaKit({ brokers, clientId, ensureTopics }: KafkaKitOptions) {
  const kafka = new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING });

  async function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }

  /** One fresh topic per prefix, created together (auto creation is off on the platform's brokers). */
  async function createTopics(prefixes: readonly string[], partitions = 1): Promise<string[]> {
    const topics = prefixes.map((prefix) => uniqueName(prefix));
    await withAdmin((admin) =>
      ensureTopics(
        admin,
        topics.map((name) => ({ name, partitions, config: {} })),
      ),
    );
    return topics;
  }

  async function createTopic(prefix: string, partitions = 1): Promise<string> {
    const [topic] = await createTopics([prefix], partitions);
    return topic!;
  }

  /** Best effort: a topic already gone is fine. */
  async function deleteTopics(topics: readonly string[]): Promise<void> {
    if (topics.length === 0) return;
    await withAdmin((admin) => admin.deleteTopics({ topics: [...topics] }).catch(() => undefined));
  }

  /**
   * Writes `records` with an idempotent producer, `perSend` per request (a
   * request's records form one record batch, which a fetch returns whole).
   */
  async function produce(
    topic: string,
    records: readonly RawRecord[],
    { perSend = 500 } = {},
  ): Promise<void> {
    const producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      for (let start = 0; start < records.length; start += perSend) {
        const messages = records.slice(start, start + perSend).map((record) => ({ ...record }));
        await producer.send({ topic, acks: -1, messages });
      }
    } finally {
      await producer.disconnect();
    }
  }

  /** Records on `topic` by the brokers' watermarks. */
  async function recordCount(topic: string): Promise<number> {
    return withAdmin(async (admin) =>
      (await admin.fetchTopicOffsets(topic)).reduce(
        (sum, partition) => sum + Number(partition.high) - Number(partition.low),
        0,
      ),
    );
  }

  /**
   * Everything in `topic` up to its end now, as a separate reader sees it,
   * in partition and offset order. The end is judged on batch ends, not on
   * messages: a partition may end in transaction markers never delivered.
   */
  async function readTopic(
    topic: string,
    { readUncommitted = false, timeoutMs = 30_000 }: { readUncommitted?: boolean; timeoutMs?: number } = {},
  ): Promise<ReadRecord[]> {
    const pending = await withAdmin(async (admin) => {
      const offsets = await admin.fetchTopicOffsets(topic);
      return new Map(
        offsets.filter((o) => Number(o.high) > Number(o.low)).map((o) => [o.partition, Number(o.high)]),
      );
    });
    const records: ReadRecord[] = [];
    if (pending.size === 0) return records;
    const consumer = kafka.consumer({ groupId: uniqueName('reader'), readUncommitted, maxWaitTimeInMs: 200 });
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const end = pending.get(payload.partition);
      if (end !== undefined && Number(payload.lastOffset) + 1 >= end) pending.delete(payload.partition);
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) records.push(readRecord(batch.partition, message));
        },
      });
      await waitFor(`reading ${topic} to its end`, () => pending.size === 0, { timeoutMs });
    } finally {
      await consumer.disconnect();
    }
    return records.sort(byPosition);
  }

  /** What a fresh group finds on `topic` from its start, once `done` holds for what it has seen. */
  async function collect(
    topic: string,
    done: (seen: readonly ReadRecord[]) => boolean,
    { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
  ): Promise<ReadRecord[]> {
    const seen: ReadRecord[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('observer'), maxWaitTimeInMs: 200 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => void seen.push(readRecord(partition, message)),
      });
      await waitFor(`records on ${topic}`, () => done(seen), { timeoutMs });
      return seen;
    } finally {
      await consumer.disconnect();
    }
  }

  /** The group's committed offset per partition of `topic`, in partition order (-1: nothing committed). */
  async function committedOffsets(groupId: string, topic: string): Promise<number[]> {
    return withAdmin(async (admin) => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return (offsets?.partitions ?? [])
        .sort((a, b) => a.partition - b.partition)
        .map((p) => Number(p.offset));
    });
  }

  /** True when the group has committed the log end of every partition of `topic` that holds records. */
  async function committedToLogEnd(groupId: string, topic: string): Promise<boolean> {
    const committed = await committedOffsets(groupId, topic);
    const logEnd = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
    return logEnd.every(({ partition, high }) => high === '0' || committed[partition] === Number(high));
  }

  /** Waits until the group has finished rebalancing, with `members` members when given. */
  async function waitForStableGroup(
    groupId: string,
    { members, timeoutMs = 30_000 }: { members?: number; timeoutMs?: number } = {},
  ): Promise<void> {
    await waitFor(
      `group ${groupId} stable`,
      async () => {
        const { groups } = await withAdmin((admin) => admin.describeGroups([groupId]));
        const group = groups[0];
        return group?.state === 'Stable' && (members === undefined || group.members.length === members);
      },
      { timeoutMs, intervalMs: 200 },
    );
  }

  return {
    kafka,
    withAdmin,
    createTopic,
    createTopics,
    deleteTopics,
    produce,
    recordCount,
    readTopic,
    collect,
    committedOffsets,
    committedToLogEnd,
    waitForStableGroup,
  };
}

export type KafkaKit = ReturnType<typeof kafkaKit>;
