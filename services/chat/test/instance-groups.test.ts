import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from './support.js';

describe("an instance's own consumer group", () => {
  const h = new Harness();

  beforeAll(() => h.setUp());
  afterAll(() => h.tearDown());

  it('is deleted when the instance stops gracefully, so no orphan keeps showing lag', async () => {
    const { gateway, config } = await h.gateway();
    const groupId = `${config.groups.deliveryPrefix}.${gateway.instanceId}`;
    const admin = h.kafka.admin();
    await admin.connect();
    try {
      const groupIds = async () => (await admin.listGroups()).groups.map((group) => group.groupId);
      expect(await groupIds()).toContain(groupId);

      await gateway.stop();
      expect(await groupIds()).not.toContain(groupId);
    } finally {
      await admin.disconnect();
    }
  });
});
