import { setTimeout as sleep } from 'node:timers/promises';
import { OPS_PATHS } from '@chat/runtime';
import { sumOfMetric } from '../bench/prometheus.js';

const POLL_MS = 1_000;
const METRIC = 'room_outbox_pending';

/**
 * Waits until the room service has published every room event it holds
 * (`room_outbox_pending` is 0), so the measured load does not share the
 * machine with the tail of room creation: on FerretDB the outbox of a few
 * hundred new rooms takes a minute to drain. Returns at once when the room
 * service's metrics cannot be read (nothing to wait on), and at `timeoutMs`.
 */
export async function roomOutboxDrained(roomApiUrl: string, timeoutMs: number): Promise<void> {
  const started = Date.now();
  const url = new URL(OPS_PATHS.metrics, roomApiUrl).href;
  for (;;) {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    if (!response?.ok) return;
    const exposition = await response.text();
    if (!exposition.includes(METRIC)) return;
    if (sumOfMetric(exposition, METRIC) === 0 || Date.now() - started > timeoutMs) return;
    await sleep(POLL_MS);
  }
}
