import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics } from '@chat/base-listener';
import { uniqueName, waitFor } from '@chat/testkit';
import {
  CLUSTER_REPLICATION_FACTOR,
  clusterBrokers,
  clusterDown,
  clusterUp,
  killClusterNode,
  type ClusterLayout,
} from '../src/cluster/cluster.js';
import { freePort } from '../src/private-servers.js';

/** Three JVMs starting side by side on a busy 2-core machine. */
const CLUSTER_TIMEOUT_MS = 240_000;

describe('cluster mode', () => {
  let layout: ClusterLayout;
  const quiet = () => undefined;

  beforeAll(async () => {
    // Its own directory and free ports: this test never meets the cluster someone started by hand.
    layout = { dir: mkdtempSync(join(tmpdir(), 'kafka-cluster-')), nodes: [] };
    for (let i = 0; i < 3; i++)
      layout.nodes.push({ port: await freePort(), controllerPort: await freePort() });
  });
  afterAll(async () => {
    await clusterDown(quiet, layout);
    rmSync(layout.dir, { recursive: true, force: true });
  });

  it(
    'replicates a topic three ways and still produces with acks=all after one broker is killed',
    async () => {
      await clusterUp(quiet, layout);
      // Idempotent: a second up reuses every running node.
      const reused: string[] = [];
      await clusterUp((_, message) => reused.push(message), layout);
      expect(reused.filter((message) => message.startsWith('reused'))).toHaveLength(3);

      const kafka = new Kafka({
        clientId: uniqueName('cluster-test'),
        brokers: clusterBrokers(layout),
        logLevel: logLevel.NOTHING,
      });
      const topic = uniqueName('replicated');
      const admin = kafka.admin();
      await admin.connect();
      // No replication factor asked for: the cluster's default must be 3.
      await ensureTopics(admin, [{ name: topic, partitions: 3, config: {} }]);
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      for (const partition of topics[0]!.partitions) {
        expect(partition.replicas).toHaveLength(CLUSTER_REPLICATION_FACTOR);
        expect(partition.isr).toHaveLength(CLUSTER_REPLICATION_FACTOR);
      }

      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'a', value: 'before' }] });

      killClusterNode(layout, 1);
      // Once the controllers have fenced the dead node, every partition has a live leader and two in-sync replicas.
      await waitFor(
        'leaders moved off the killed node',
        async () => {
          const { topics: after } = await admin.fetchTopicMetadata({ topics: [topic] });
          return after[0]!.partitions.every(({ leader, isr }) => leader !== 1 && isr.length === 2);
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      for (let i = 0; i < 3; i++)
        await producer.send({ topic, acks: -1, messages: [{ key: String(i), value: `after ${i}` }] });
      await producer.disconnect();
      await admin.disconnect();

      const consumer = kafka.consumer({ groupId: uniqueName('cluster-test') });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const values: string[] = [];
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            values.push(message.value!.toString());
            if (values.length === 4) resolve();
          },
        });
      });
      await consumer.disconnect();
      expect(values.sort()).toEqual(['after 0', 'after 1', 'after 2', 'before']);
    },
    CLUSTER_TIMEOUT_MS,
  );
});
