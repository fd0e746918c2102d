import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError } from '../errors.js';
import { CACHE_DIR, INFRA_DIR } from '../paths.js';
import { run, which } from '../shell.js';

/**
 * What every local Kafka node shares, whoever runs it (the launcher's single
 * node, the three-broker cluster, a test's private broker): the jars from
 * Maven Central, the server.properties template, the JVM command line.
 */
const POM = join(INFRA_DIR, 'kafka', 'pom.xml');

export interface KafkaNodeSettings {
  /** State directory: server.properties, log4j.properties and the data directory live here. */
  dir: string;
  nodeId: number;
  port: number;
  controllerPort: number;
  /** `id@host:port` of every controller in the quorum, comma separated. */
  quorumVoters: string;
  /** What clients are told to connect to; a network-fault proxy's port puts the proxy in their path. @defaultValue port */
  advertisedPort?: number;
  /** Replicas of each new topic and of the offsets and transaction logs; 1 on a single node. */
  replicationFactor: number;
  /** `min.insync.replicas` for every topic and the transaction log. */
  minInsyncReplicas: number;
  /** JVM heap ceiling in megabytes. */
  heapMb: number;
  /** How soon the controllers fence a silent broker and move its partition leaders away. @defaultValue Kafka's 9000 */
  brokerSessionTimeoutMs?: number;
  /** A second client listener that needs SASL/SCRAM, with its users created when storage is formatted. @defaultValue none */
  scram?: ScramListener;
}

/** A SASL_PLAINTEXT listener taking SCRAM-SHA-512 (what Strimzi's `scram-sha-512` KafkaUser uses). */
export interface ScramListener {
  port: number;
  users: { username: string; password: string }[];
}

export const kafkaPropertiesFile = (dir: string): string => join(dir, 'server.properties');
const log4jFile = (dir: string) => join(dir, 'log4j.properties');

/** KRaft broker+controller with settings for a fast local loop. */
function serverProperties(node: KafkaNodeSettings): string {
  const session = node.brokerSessionTimeoutMs;
  const failover =
    session === undefined
      ? ''
      : `broker.session.timeout.ms=${session}\nbroker.heartbeat.interval.ms=${Math.floor(session / 4)}\n`;
  const scram = node.scram;
  const scramListener = scram ? `,SASL_PLAINTEXT://127.0.0.1:${scram.port}` : '';
  // Brokers talk PLAINTEXT among themselves; only clients of the SASL listener authenticate.
  const scramSettings = scram
    ? `sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
`
    : '';
  return `# Written on every start from infra/src/servers/kafka-node.ts; edit that instead.
process.roles=broker,controller
node.id=${node.nodeId}
controller.quorum.voters=${node.quorumVoters}
listeners=PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}${scramListener}
advertised.listeners=PLAINTEXT://127.0.0.1:${node.advertisedPort ?? node.port}${scramListener}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
${scramSettings}inter.broker.listener.name=PLAINTEXT
log.dirs=${join(node.dir, 'data')}
auto.create.topics.enable=false
num.partitions=1
default.replication.factor=${node.replicationFactor}
min.insync.replicas=${node.minInsyncReplicas}
# A single node must not wait for internal-topic replicas that will never exist.
offsets.topic.replication.factor=${node.replicationFactor}
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=${node.replicationFactor}
transaction.state.log.min.isr=${node.minInsyncReplicas}
transaction.state.log.num.partitions=4
# Local tests join groups constantly; the default 3 s delay makes every join slow.
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000
log.retention.hours=168
${failover}`;
}

const LOG4J = `log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
`;

const pomHash = () => createHash('sha256').update(readFileSync(POM)).digest('hex').slice(0, 16);

/** Resolved once per pom version into the user cache, so every state directory and a fresh clone find it. */
const classpathFile = () => join(CACHE_DIR, `kafka-classpath-${pomHash()}.txt`);

const classpathIsCurrent = (file: string) =>
  existsSync(file) &&
  readFileSync(file, 'utf8')
    .trim()
    .split(':')
    .every((jar) => existsSync(jar));

/** Makes sure java and the Kafka jars are there (Maven resolves them on first use); returns the classpath. */
export async function kafkaClasspath(progress: (message: string) => void): Promise<string> {
  for (const tool of ['java', 'mvn']) {
    if (!which(tool))
      throw new InfraError(
        'INSTALL_FAILED',
        `${tool} is not on PATH: Kafka runs on the machine's Java and comes from Maven Central`,
      );
  }
  const file = classpathFile();
  if (!classpathIsCurrent(file)) {
    progress('resolving Kafka jars from Maven Central (first run only)');
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside and renamed, so nodes installing side by side never read half a file.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    try {
      await run('mvn', ['-q', '-B', '-f', POM, 'dependency:build-classpath', `-Dmdep.outputFile=${partial}`]);
    } catch (error) {
      throw new InfraError('INSTALL_FAILED', `Maven could not resolve Kafka: ${(error as Error).message}`);
    }
    renameSync(partial, file);
  }
  return readFileSync(file, 'utf8').trim();
}

/** The JVM arguments that run `mainClass` from the Kafka classpath with this node's logging. */
export function kafkaJavaArgs(
  node: Pick<KafkaNodeSettings, 'dir' | 'heapMb'>,
  classpath: string,
  mainClass: string,
  args: string[],
): string[] {
  return [
    `-Xms${Math.min(256, node.heapMb)}m`,
    `-Xmx${node.heapMb}m`,
    '-XX:+UseG1GC',
    `-Dlog4j.configuration=file:${log4jFile(node.dir)}`,
    '-cp',
    classpath,
    mainClass,
    ...args,
  ];
}

/** A fresh KRaft cluster id: every node of one cluster formats its storage with the same one. */
/**
 * 16 random bytes in base64url, as Kafka's own ids. Like Kafka's
 * `Uuid.randomUuid`, never one that starts with '-': the storage tool would
 * read it as an option and fail (`--cluster-id: expected one argument`).
 */
export function newKafkaClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Writes the node's configuration (every start, so a changed template takes
 * effect) and formats its storage the first time; returns the `kafka.Kafka`
 * arguments that start it.
 */
export async function prepareKafkaNode(
  node: KafkaNodeSettings,
  classpath: string,
  clusterId: string,
  progress: (message: string) => void,
): Promise<string[]> {
  mkdirSync(node.dir, { recursive: true });
  writeFileSync(kafkaPropertiesFile(node.dir), serverProperties(node));
  writeFileSync(log4jFile(node.dir), LOG4J);
  if (!existsSync(join(node.dir, 'data', 'meta.properties'))) {
    progress('formatting Kafka storage (first run only)');
    await run(
      'java',
      kafkaJavaArgs(node, classpath, 'kafka.tools.StorageTool', [
        'format',
        '-t',
        clusterId,
        '-c',
        kafkaPropertiesFile(node.dir),
        // KRaft keeps SCRAM credentials in its metadata log: they are written when storage is formatted.
        ...(node.scram?.users ?? []).flatMap(({ username, password }) => [
          '--add-scram',
          `SCRAM-SHA-512=[name=${username},password=${password}]`,
        ]),
      ]),
    );
  }
  return kafkaJavaArgs(node, classpath, 'kafka.Kafka', [kafkaPropertiesFile(node.dir)]);
}
