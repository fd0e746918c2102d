import { setTimeout as sleep } from 'node:timers/promises';
import { KAFKA_PROXY } from '../servers.js';
import type { Scenario } from '../scenario.js';
import { sendsQueued } from './servers.js';

const SLOW_FOR_MS = 6_000;
const BLACKHOLE_FOR_MS = 5_000;

/**
 * Between every service and Kafka: first 200 ± 100 ms of latency each way,
 * then a black hole (data accepted and never forwarded, connections held
 * open), then a clean network again.
 */
export const kafkaNetwork: Scenario = {
  name: 'Kafka network slow, then dropping',
  ci: false,
  hit: sendsQueued,
  async inject({ servers }) {
    const proxy = servers.toxiproxy.client;
    for (const stream of ['upstream', 'downstream'] as const)
      await proxy.addToxic(KAFKA_PROXY, {
        name: `latency-${stream}`,
        type: 'latency',
        stream,
        attributes: { latency: 200, jitter: 100 },
      });
    await sleep(SLOW_FOR_MS);
    await proxy.addToxic(KAFKA_PROXY, {
      name: 'blackhole',
      type: 'timeout',
      stream: 'upstream',
      attributes: { timeout: 0 },
    });
    await sleep(BLACKHOLE_FOR_MS);
    await proxy.reset();
  },
};
