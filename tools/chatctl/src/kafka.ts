import { groupTopics } from '@chat/contracts';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import type { Context } from './context.js';
import { CliError, asCliError } from './errors.js';

/**
 * An admin client that gives up after a few seconds: an operator at a
 * terminal wants "Kafka is unreachable" quickly, not KafkaJS's long retries.
 */
export async function withAdmin<T>(context: Context, work: (admin: Admin) => Promise<T>): Promise<T> {
  const kafka = new Kafka({
    clientId: 'chatctl',
    brokers: context.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 2, initialRetryTime: 300 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (error) {
    throw asCliError(error, `Kafka (${context.brokers.join(',')})`);
  }
  try {
    return await work(admin);
  } catch (error) {
    throw asCliError(error, 'Kafka');
  } finally {
    await admin.disconnect();
  }
}

/** The group's DLQ topic, checked to exist: the kit's reader would fail on a missing topic with a protocol error. */
export async function existingDeadLetterTopic(context: Context, groupId: string): Promise<string> {
  let topic: string;
  try {
    topic = groupTopics.deadLetter(groupId);
  } catch (error) {
    throw new CliError('USAGE', `"${groupId}" is not a valid consumer group name`, { cause: error });
  }
  const topics = await withAdmin(context, (admin) => admin.listTopics());
  if (!topics.includes(topic))
    throw new CliError('NOT_FOUND', `group "${groupId}" has no DLQ topic (${topic})`);
  return topic;
}

/** Records in `topic` now, counted from offsets: the total a long scan's progress bar runs to. */
export async function recordCount(context: Context, topic: string): Promise<number> {
  return withAdmin(context, async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, entry) => sum + Number(entry.high) - Number(entry.low), 0);
  });
}
