export { kafkaKit, type EnsureTopics, type KafkaKit, type KafkaKitOptions } from './kafka-kit.js';
export type { RawRecord, ReadRecord } from './records.js';
