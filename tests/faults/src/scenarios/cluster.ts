import { killClusterNode } from '@chat/infra/cluster';
import type { ClusterFaultServers } from '../cluster-servers.js';
import type { FaultPlatform } from '../platform.js';
import type { Scenario } from '../scenario.js';

export interface ClusterFaultContext {
  platform: FaultPlatform;
  servers: ClusterFaultServers;
}

/** One of three brokers is killed with SIGKILL and stays lost: with RF 3 and min ISR 2, acks=all goes on. */
export const brokerLost: Scenario<ClusterFaultContext> = {
  name: 'one of three Kafka brokers lost',
  ci: false,
  async inject({ servers }) {
    killClusterNode(servers.layout, 1);
  },
};
