import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterBrokers, clusterDown, clusterUp, type ClusterLayout } from '@chat/infra/cluster';
import {
  freePort,
  startPrivateMongo,
  startPrivateRedis,
  type PrivateServer,
} from '@chat/infra/private-servers';
import { startToxiproxy, type PrivateToxiproxy } from '@chat/infra/toxiproxy';

const quiet = () => undefined;

/** A three-broker cluster of the run's own (temporary directory, free ports), with private MongoDB and Redis. */
export interface ClusterFaultServers {
  layout: ClusterLayout;
  brokers: string[];
  mongo: PrivateServer;
  redis: PrivateServer;
  /** Only the gateway balancer: the cluster is reached directly. */
  toxiproxy: PrivateToxiproxy;
  /** Starts any node that is down again (the cluster launcher is idempotent). */
  heal(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startClusterFaultServers(): Promise<ClusterFaultServers> {
  const layout: ClusterLayout = { dir: mkdtempSync(join(tmpdir(), 'fault-cluster-')), nodes: [] };
  for (let i = 0; i < 3; i++) layout.nodes.push({ port: await freePort(), controllerPort: await freePort() });
  const [toxiproxy, mongo, redis] = await Promise.all([
    startToxiproxy(),
    startPrivateMongo(),
    startPrivateRedis(),
    clusterUp(quiet, layout),
  ]);
  return {
    layout,
    brokers: clusterBrokers(layout),
    mongo,
    redis,
    toxiproxy,
    heal: async () => void (await clusterUp(quiet, layout)),
    async dispose() {
      await Promise.allSettled([
        clusterDown(quiet, layout),
        mongo.dispose(),
        redis.dispose(),
        toxiproxy.stop(),
      ]);
      rmSync(layout.dir, { recursive: true, force: true });
    },
  };
}
