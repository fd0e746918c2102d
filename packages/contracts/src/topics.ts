/**
 * The platform's topics. Every chat and room topic is keyed by roomId, so one
 * room's events share a partition and keep their order.
 */
export const TOPICS = {
  messages: 'chat.messages.v1',
  receipts: 'chat.receipts.v1',
  roomEvents: 'room.events.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Kafka topic configs (retention, cleanup) applied at creation. */
  config: Record<string, string>;
}

const WEEK_MS = String(7 * 24 * 60 * 60 * 1000);

/** What the launcher (and the Strimzi KafkaTopic manifests) create; auto topic creation is off. */
export const PLATFORM_TOPICS: readonly TopicSpec[] = [
  { name: TOPICS.messages, partitions: 6, config: { 'retention.ms': WEEK_MS } },
  { name: TOPICS.receipts, partitions: 6, config: { 'retention.ms': WEEK_MS } },
  { name: TOPICS.roomEvents, partitions: 6, config: { 'retention.ms': WEEK_MS } },
];

/** Kafka's own limit on topic names, which the per-group names below must respect. */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

function checked(name: string): string {
  if (!TOPIC_NAME.test(name)) throw new RangeError(`"${name}" is not a valid Kafka topic name`);
  return name;
}

/**
 * Retry and dead-letter topics belong to one consumer group: another group
 * reading the same source must not see (or replay) this group's failures.
 */
export const groupTopics = {
  /** `<group>.<topic>.retry.<n>`: where the n-th retry of a record waits for its delay. */
  retry: (groupId: string, sourceTopic: string, attempt: number): string =>
    checked(`${groupId}.${sourceTopic}.retry.${attempt}`),
  /** `<group>.dlq`: records this group could not process, with their full context. */
  deadLetter: (groupId: string): string => checked(`${groupId}.dlq`),
  /** `<group>.processed`: the durable record of applied idempotency keys (compacted). */
  processed: (groupId: string): string => checked(`${groupId}.processed`),
};
