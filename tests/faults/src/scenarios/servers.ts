import { setTimeout as sleep } from 'node:timers/promises';
import type { PrivateServer } from '@chat/infra/private-servers';
import type { FaultServers } from '../servers.js';
import type { Scenario } from '../scenario.js';

/** Long enough for sends to time out, breakers to open and consumers to lose their sessions. */
const DOWN_FOR_MS = 8_000;

/** Sends went to the gateway's backup queue while Kafka was out of reach. */
export const sendsQueued = {
  description: 'sends acked queued',
  seen: (report: { account: { queued: number } }) => report.account.queued > 0,
};

/** The server is killed with SIGKILL (no graceful shutdown) and started again on the same port with its data. */
const downAndBack = (
  name: string,
  which: (servers: FaultServers) => PrivateServer,
  ci: boolean,
): Scenario => ({
  name: `${name} killed and back after ${DOWN_FOR_MS / 1000} s`,
  ci,
  async inject({ servers }) {
    const server = which(servers);
    await server.stop();
    await sleep(DOWN_FOR_MS);
    await server.start();
  },
});

export const kafkaDown = {
  ...downAndBack('Kafka (single broker)', (servers) => servers.kafka, false),
  hit: sendsQueued,
};
export const mongoDown = downAndBack('MongoDB', (servers) => servers.mongo, false);
export const redisDown = downAndBack('Redis', (servers) => servers.redis, true);
