import { join } from 'node:path';
import { stateDirOf } from '../paths.js';
import { start } from '../processes.js';
import { probeKafka } from './kafka-probe.js';
import { kafkaClasspath, newKafkaClusterId, prepareKafkaNode, type KafkaNodeSettings } from './kafka-node.js';
import type { LocalServer } from './server.js';

/** Single-node KRaft broker+controller, from Maven Central jars, with settings for a fast local loop. */
export function kafkaServer(brokers: string[], external: boolean): LocalServer {
  const dir = stateDirOf('kafka');
  const port = Number(brokers[0]?.split(':')[1] ?? 9092);
  const proc = { pidFile: join(dir, 'kafka.pid'), logFile: join(dir, 'kafka.log'), cwd: dir };
  const node: KafkaNodeSettings = {
    dir,
    nodeId: 1,
    port,
    controllerPort: port + 1,
    quorumVoters: `1@127.0.0.1:${port + 1}`,
    replicationFactor: 1,
    minInsyncReplicas: 1,
    heapMb: 768,
  };
  let javaArgs: string[] = [];

  return {
    name: 'kafka',
    address: brokers.join(','),
    external,
    envVariable: 'KAFKA_BROKERS',
    ports: [port, port + 1],
    process: proc,
    startTimeoutSeconds: 90,
    async install(progress) {
      const classpath = await kafkaClasspath(progress);
      javaArgs = await prepareKafkaNode(node, classpath, newKafkaClusterId(), progress);
    },
    spawn() {
      start(proc, 'java', javaArgs);
    },
    probe: () => probeKafka(brokers),
  };
}
