import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';

/**
 * Deletes a consumer group that belonged to this process alone (a
 * per-instance group, named after the instance), once its consumer has
 * stopped. Left behind, each restart's group would keep its committed
 * offsets, and so a growing lag on dashboards and alerts, until the broker's
 * offset retention expires it (7 days by default). A crashed process cannot
 * do this; its group still expires that way. Never throws: a failure is logged.
 */
export async function deleteInstanceGroup(kafka: Kafka, groupId: string, logger: Logger): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteGroups([groupId]);
  } catch (error) {
    logger.warn(
      { err: (error as Error).message, groupId },
      'could not delete the consumer group of this instance',
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
