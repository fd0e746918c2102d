import { type PartitionLag, readLag } from '@chat/base-listener';
import type { Command } from 'commander';
import type { Admin } from 'kafkajs';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import { json, table } from '../io.js';
import { withAdmin } from '../kafka.js';
import type { Bind } from '../bind.js';

/** Topics the group has committed offsets on: the ones its lag is measured against. */
async function committedTopics(admin: Admin, groupId: string): Promise<string[]> {
  const offsets = await admin.fetchOffsets({ groupId });
  return offsets
    .filter(({ partitions }) => partitions.some((partition) => Number(partition.offset) >= 0))
    .map(({ topic }) => topic);
}

async function groupLag(admin: Admin, groupId: string): Promise<PartitionLag[]> {
  const topics = await committedTopics(admin, groupId);
  if (topics.length === 0) return [];
  const lags = await readLag(admin, groupId, topics);
  return lags.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

const total = (lags: readonly PartitionLag[]) => lags.reduce((sum, entry) => sum + entry.lag, 0);

async function oneGroup(context: Context, groupId: string) {
  const lags = await withAdmin(context, (admin) => groupLag(admin, groupId));
  if (lags.length === 0) throw new CliError('NOT_FOUND', `group "${groupId}" has no committed offsets`);
  if (context.json) return context.io.out(json({ group: groupId, total: total(lags), partitions: lags }));
  context.io.out(
    table(
      ['topic', 'partition', 'committed', 'log end', 'lag'],
      [
        ...lags.map((entry) => [
          entry.topic,
          entry.partition,
          entry.committed < 0 ? '-' : entry.committed,
          entry.logEnd,
          entry.lag,
        ]),
        ['total', '', '', '', total(lags)],
      ],
    ),
  );
}

async function allGroups(context: Context) {
  const rows = await withAdmin(context, async (admin) => {
    const { groups } = await admin.listGroups();
    const ids = groups.filter((group) => group.protocolType === 'consumer').map((group) => group.groupId);
    const described = ids.length === 0 ? { groups: [] } : await admin.describeGroups(ids);
    const summaries = [];
    for (const group of described.groups) {
      const lags = await groupLag(admin, group.groupId);
      // Readers that never commit (the DLQ reader's throwaway groups) have no lag to speak of.
      if (lags.length === 0) continue;
      summaries.push({
        group: group.groupId,
        state: group.state,
        members: group.members.length,
        topics: [...new Set(lags.map((entry) => entry.topic))],
        total: total(lags),
        maxPartitionLag: Math.max(...lags.map((entry) => entry.lag)),
      });
    }
    return summaries.sort((a, b) => b.total - a.total || a.group.localeCompare(b.group));
  });
  if (context.json) return context.io.out(json(rows));
  if (rows.length === 0) return context.io.out('no consumer group has committed offsets\n');
  context.io.out(
    table(
      ['group', 'state', 'members', 'topics', 'total lag', 'max partition lag'],
      rows.map((row) => [
        row.group,
        row.state,
        row.members,
        row.topics.join(', '),
        row.total,
        row.maxPartitionLag,
      ]),
    ),
  );
}

export function lagCommand(program: Command, bind: Bind): void {
  program
    .command('lag')
    .description('consumer lag: committed offset vs log end, per partition of one group, or summed per group')
    .argument('[group]', 'consumer group (default: every group with committed offsets)')
    .action(
      bind((context: Context, groupId: string | undefined) =>
        groupId === undefined ? allGroups(context) : oneGroup(context, groupId),
      ),
    );
}
