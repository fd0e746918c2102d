import { Kafka, logLevel } from 'kafkajs';
import { ensureTopics } from '@chat/base-listener';
import { PLATFORM_TOPICS } from '@chat/contracts';

/** Creates the platform's topics that do not exist yet (auto topic creation is off); returns the names created. */
export async function ensurePlatformTopics(brokers: string[]): Promise<string[]> {
  const admin = new Kafka({ clientId: 'infra-topics', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    await ensureTopics(admin, PLATFORM_TOPICS);
    return PLATFORM_TOPICS.filter((spec) => !existing.has(spec.name)).map((spec) => spec.name);
  } finally {
    await admin.disconnect();
  }
}
