import { setTimeout as sleep } from 'node:timers/promises';
import type { TopicSpec } from '@chat/contracts';
import type { Admin } from 'kafkajs';

/** What a loaded broker may answer for a topic it has just created, until its metadata catches up. */
const NOT_READY_YET = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
]);

/** The broker's own answer, also when KafkaJS wraps it after its retries ran out (`cause`). */
const isNotReadyYet = (error: unknown): boolean => {
  const { type, cause } = (error ?? {}) as { type?: string; cause?: unknown };
  return NOT_READY_YET.has(type ?? '') || (cause !== undefined && isNotReadyYet(cause));
};

/**
 * Creates the topics that do not exist yet (auto topic creation is off on the
 * platform's brokers) and waits until every partition answers an offsets
 * request. KafkaJS's `waitForLeaders` is not enough: a loaded broker briefly
 * answers "unknown topic" or "not the leader" for a topic it has just created.
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.name));
  if (missing.length === 0) return;
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        configEntries: Object.entries(spec.config).map(([name, value]) => ({ name, value })),
      })),
    });
  } catch (error) {
    if (!isNotReadyYet(error)) throw error;
  }
  await untilServed(
    admin,
    missing.map((spec) => spec.name),
    timeoutMs,
  );
}

async function untilServed(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic)));
      return;
    } catch (error) {
      if (!isNotReadyYet(error) || Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

export async function partitionCount(admin: Admin, topic: string): Promise<number> {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  return topics[0]?.partitions.length ?? 0;
}
