import type { Admin } from 'kafkajs';

/**
 * Gives the owners' group a committed offset for every partition that has
 * none, at the topic's end, while the group has no member. Owners read from
 * the beginning where nothing is committed, so what this leaves uncommitted
 * is only a partition added later, whose every record is new; and the
 * group's first owners (a fresh deploy, or room feeds switched on) start
 * at the end instead of replaying the topic's retention. Without this, a
 * partition nobody had committed yet would reset to its end when it moved
 * to another owner, skipping what was appended meanwhile.
 */
export async function initialiseOwnersGroup(admin: Admin, groupId: string, topics: string[]): Promise<void> {
  for (const topic of topics) {
    const committed = (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions ?? [];
    const highs = await admin.fetchTopicOffsets(topic);
    const missing = highs.filter(
      ({ partition }) => Number(committed.find((entry) => entry.partition === partition)?.offset ?? -1) < 0,
    );
    if (missing.length === 0) continue;
    try {
      await admin.setOffsets({
        groupId,
        topic,
        partitions: missing.map(({ partition, high }) => ({ partition, offset: high })),
      });
    } catch (error) {
      // Members are running: they were born with committed offsets; a partition added since starts from its beginning.
      if (!/no running instances/.test((error as Error).message)) throw error;
    }
  }
}
