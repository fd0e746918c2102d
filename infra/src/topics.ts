import { Kafka, logLevel } from 'kafkajs';
import { ensureTopics } from '@chat/base-listener';
import { PLATFORM_TOPICS } from '@chat/contracts';

const adminOf = (brokers: string[]) =>
  new Kafka({ clientId: 'infra-topics', brokers, logLevel: logLevel.NOTHING }).admin();

/**
 * Creates the platform's topics that do not exist yet (auto topic creation is off), each under the
 * name `rename` gives it (a launcher's namespace); returns the names created.
 */
export async function ensurePlatformTopics(
  brokers: string[],
  rename: (name: string) => string = (name) => name,
): Promise<string[]> {
  const admin = adminOf(brokers);
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const specs = PLATFORM_TOPICS.map((spec) => ({ ...spec, name: rename(spec.name) }));
    await ensureTopics(admin, specs);
    return specs.filter((spec) => !existing.has(spec.name)).map((spec) => spec.name);
  } finally {
    await admin.disconnect();
  }
}

/** Deletes every topic whose name starts with `prefix` (a namespace's topics, its groups' DLQs included). */
export async function deleteTopicsStartingWith(brokers: string[], prefix: string): Promise<void> {
  const admin = adminOf(brokers);
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}
