import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { bringUp, stopServers, type Report } from '../launcher.js';
import { stateDirOf } from '../paths.js';
import { runningPid, start } from '../processes.js';
import { kafkaClasspath, newKafkaClusterId, prepareKafkaNode } from '../servers/kafka-node.js';
import { probeKafka } from '../servers/kafka-probe.js';
import type { LocalServer } from '../servers/server.js';

/**
 * Three KRaft nodes, each broker and controller in one process: a quorum of
 * three controllers survives the loss of one, exactly like the brokers, and
 * three JVMs instead of six fit a shared 2-core machine. Replication factor 3
 * and min.insync.replicas 2, so acks=all still succeeds with one node lost
 * and fails loudly with two.
 */
export const CLUSTER_REPLICATION_FACTOR = 3;
export const CLUSTER_MIN_INSYNC_REPLICAS = 2;
const NODE_HEAP_MB = 512;
/** A killed node's partitions get new leaders within seconds (Kafka's default waits 9 s); loose enough for GC pauses on a busy machine. */
const BROKER_SESSION_TIMEOUT_MS = 4000;

export interface ClusterLayout {
  /** State directory: one subdirectory per node, and the cluster id they all format with. */
  dir: string;
  /** Each node's client port and controller port, node ids 1, 2, 3 in this order. */
  nodes: { port: number; controllerPort: number }[];
}

/** Beside the single node (19092/19093) without touching it: 29092–29097 and `.local/infra/cluster/`. */
export function defaultClusterLayout(): ClusterLayout {
  return {
    dir: stateDirOf('cluster'),
    nodes: [0, 1, 2].map((index) => ({ port: 29092 + 2 * index, controllerPort: 29093 + 2 * index })),
  };
}

export const clusterBrokers = (layout: ClusterLayout): string[] =>
  layout.nodes.map(({ port }) => `127.0.0.1:${port}`);

function clusterId(layout: ClusterLayout): string {
  const file = join(layout.dir, 'cluster-id');
  if (!existsSync(file)) {
    mkdirSync(layout.dir, { recursive: true });
    writeFileSync(file, newKafkaClusterId());
  }
  return readFileSync(file, 'utf8').trim();
}

/** One node answers when it has registered with the quorum and serves metadata on its own port. */
async function probeNode(broker: string, nodeId: number): Promise<void> {
  const admin = new Kafka({
    clientId: 'infra-cluster-probe',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const { brokers } = await admin.describeCluster();
    if (!brokers.some((registered) => registered.nodeId === nodeId))
      throw new Error(`node ${nodeId} is not registered with the controller quorum yet`);
  } finally {
    await admin.disconnect();
  }
}

export function clusterNodes(layout: ClusterLayout = defaultClusterLayout()): LocalServer[] {
  const quorumVoters = layout.nodes
    .map(({ controllerPort }, index) => `${index + 1}@127.0.0.1:${controllerPort}`)
    .join(',');
  const brokers = clusterBrokers(layout);
  return layout.nodes.map(({ port, controllerPort }, index) => {
    const nodeId = index + 1;
    const dir = join(layout.dir, `node-${nodeId}`);
    const proc = { pidFile: join(dir, 'kafka.pid'), logFile: join(dir, 'kafka.log'), cwd: dir };
    let javaArgs: string[] = [];
    return {
      name: `kafka-${nodeId}`,
      address: brokers[index]!,
      external: false,
      envVariable: 'KAFKA_BROKERS',
      ports: [port, controllerPort],
      process: proc,
      startTimeoutSeconds: 120,
      async install(progress) {
        const classpath = await kafkaClasspath(progress);
        const node = {
          dir,
          nodeId,
          port,
          controllerPort,
          quorumVoters,
          replicationFactor: CLUSTER_REPLICATION_FACTOR,
          minInsyncReplicas: CLUSTER_MIN_INSYNC_REPLICAS,
          heapMb: NODE_HEAP_MB,
          brokerSessionTimeoutMs: BROKER_SESSION_TIMEOUT_MS,
        };
        javaArgs = await prepareKafkaNode(node, classpath, clusterId(layout), progress);
      },
      spawn() {
        start(proc, 'java', javaArgs);
      },
      probe: () => probeNode(brokers[index]!, nodeId),
    };
  });
}

/**
 * Brings every node to "answering" (idempotent, like `infra up`: a running
 * node is reused, a stuck one restarted, a missing one started), then proves
 * the whole cluster with a produce and fetch on a replicated topic.
 */
export async function clusterUp(
  report: Report,
  layout: ClusterLayout = defaultClusterLayout(),
): Promise<LocalServer[]> {
  const nodes = clusterNodes(layout);
  // Side by side: no node answers until a majority of the quorum is up.
  const results = await Promise.allSettled(
    nodes.map(async (node) =>
      report(node.name, `${await bringUp(node, report)}, answering at ${node.address}`),
    ),
  );
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  await probeKafka(clusterBrokers(layout));
  return nodes;
}

/** Stops every node of the cluster (their data stays). */
export async function clusterDown(
  report: Report,
  layout: ClusterLayout = defaultClusterLayout(),
): Promise<void> {
  await stopServers(clusterNodes(layout), report);
}

/** SIGKILL of one node (1, 2 or 3), for fault tests: no graceful shutdown, no leadership handed over. */
export function killClusterNode(layout: ClusterLayout, nodeId: number): void {
  const node = clusterNodes(layout)[nodeId - 1];
  const pid = node && runningPid(node.process);
  if (pid === undefined) throw new Error(`cluster node ${nodeId} is not running`);
  process.kill(pid, 'SIGKILL');
}
