import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTopics } from '@chat/base-listener';
import { uniqueName } from '@chat/testkit';
import type { TsChild } from '@chat/testkit/child';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from './support.js';

const serviceDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = readFileSync(join(serviceDir, '../../k8s/base/chat/statefulset.yaml'), 'utf8');

/**
 * The pod name Kubernetes gives the replacement of `pod` (the gateway's
 * CHAT_INSTANCE_ID is its pod name, `fieldRef: metadata.name`): a
 * StatefulSet's pod comes back under its own name; a Deployment's gets a
 * fresh random suffix.
 */
function replacementOf(pod: string): string {
  if (/^kind: StatefulSet$/m.test(manifest)) return pod;
  return `${pod.replace(/-\d+$/, '')}-${Math.random().toString(36).slice(2, 7)}`;
}

describe('gateway pods replaced by a rollout or a crash', () => {
  const h = new Harness();
  const set = uniqueName('chat');
  const roomEventsTopic = uniqueName('room-events-test');
  const pods = new Map<string, TsChild>();

  /** The real entry point (src/main.ts) with the per-pod settings the StatefulSet gives: its pod name as instance id. */
  async function startPod(name: string): Promise<void> {
    const { child } = await h.gatewayProcess(
      {
        // As the manifests set them: the base ConfigMap's prefix, the pod's name as instance id.
        CHAT_DELIVERY_GROUP_PREFIX: 'chat-gateway',
        CHAT_INSTANCE_ID: name,
        CHAT_ROOM_EVENTS_TOPIC: roomEventsTopic,
      },
      90_000,
    );
    pods.set(name, child);
  }

  async function stopPod(name: string, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    await pods.get(name)!.stop(signal);
    pods.delete(name);
  }

  /** Every topic and consumer group on the broker that belongs to this test's gateway pods. */
  async function leftOnBroker(): Promise<{ topics: string[]; groups: string[] }> {
    const admin = h.kafka.admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((topic) => topic.includes(set)).sort();
      const { groups } = await admin.listGroups();
      return {
        topics,
        groups: groups
          .map((group) => group.groupId)
          .filter((id) => id.includes(set))
          .sort(),
      };
    } finally {
      await admin.disconnect();
    }
  }

  beforeAll(async () => {
    await h.setUp();
    const admin = h.kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ name: roomEventsTopic, partitions: 3, config: {} }]);
    await admin.disconnect();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...pods.values()].map((child) => child.kill()));
    const { topics, groups } = await leftOnBroker();
    const admin = h.kafka.admin();
    await admin.connect();
    await admin.deleteGroups(groups).catch(() => undefined);
    await admin.deleteTopics({ topics: [...topics, roomEventsTopic] }).catch(() => undefined);
    await admin.disconnect();
    await h.tearDown();
  }, 60_000);

  it('leave no topic or consumer group behind that their replacements do not reuse', async () => {
    const [first, second] = [`${set}-0`, `${set}-1`];
    await Promise.all([startPod(first), startPod(second)]);
    const before = await leftOnBroker();
    // Each pod made its delivery and membership groups and its membership DLQ.
    expect(before.topics).toEqual([
      `chat-gateway-membership.${first}.dlq`,
      `chat-gateway-membership.${second}.dlq`,
    ]);
    expect(before.groups).toEqual(
      [first, second].flatMap((pod) => [`chat-gateway-membership.${pod}`, `chat-gateway.${pod}`]).sort(),
    );

    // A rollout stops a pod gracefully; a node failure kills one. Kubernetes then starts their replacements.
    await Promise.all([stopPod(first, 'SIGTERM'), stopPod(second, 'SIGKILL')]);
    await Promise.all([startPod(replacementOf(first)), startPod(replacementOf(second))]);

    expect(await leftOnBroker()).toEqual(before);
  }, 240_000);
});
