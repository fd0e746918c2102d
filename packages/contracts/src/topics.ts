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
