import { Kafka, logLevel } from 'kafkajs';
import { PLATFORM_TOPICS } from '@chat/contracts';

/** Creates the platform's topics that do not exist yet (auto topic creation is off); returns the names created. */
export async function ensurePlatformTopics(brokers: string[]): Promise<string[]> {
  const admin = new Kafka({ clientId: 'infra-topics', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = PLATFORM_TOPICS.filter((spec) => !existing.has(spec.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions,
          configEntries: Object.entries(spec.config).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    return missing.map((spec) => spec.name);
  } finally {
    await admin.disconnect();
  }
}
