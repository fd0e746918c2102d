import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';

type SetOffsetsRequest = Parameters<Admin['setOffsets']>[0];

/**
 * Places the instance's group at its warm-up window. Kafka refuses while the
 * group has members, and an instance killed with -9 and restarted under the
 * same id (a StatefulSet pod, a supervisor) still has one until its session
 * times out: wait for that rather than crash on start.
 */
export async function setStartOffsets(
  admin: Admin,
  request: SetOffsetsRequest,
  waitMs: number,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await admin.setOffsets(request);
      return;
    } catch (error) {
      const groupBusy = /no running instances/.test((error as Error).message);
      if (!groupBusy || Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}
