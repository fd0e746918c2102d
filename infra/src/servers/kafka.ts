import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { InfraError } from '../errors.js';
import { INFRA_DIR, stateDirOf } from '../paths.js';
import { start } from '../processes.js';
import { run, which } from '../shell.js';
import { probeKafka } from './kafka-probe.js';
import type { LocalServer } from './server.js';

const POM = join(INFRA_DIR, 'kafka', 'pom.xml');

/** Single-node KRaft broker+controller, from Maven Central jars, with settings for a fast local loop. */
function serverProperties(dir: string, port: number): string {
  const controllerPort = port + 1;
  return `# Written by the infra launcher on every start; edit infra/src/servers/kafka.ts instead.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${join(dir, 'data')}
auto.create.topics.enable=false
num.partitions=1
# One broker: internal topics must not wait for replicas that will never exist.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
# Local tests join groups constantly; the default 3 s delay makes every join slow.
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000
log.retention.hours=168
`;
}

const LOG4J = `log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.kafka.server.BrokerServer=INFO
`;

export function kafkaServer(brokers: string[], external: boolean): LocalServer {
  const dir = stateDirOf('kafka');
  const port = Number(brokers[0]?.split(':')[1] ?? 9092);
  const proc = { pidFile: join(dir, 'kafka.pid'), logFile: join(dir, 'kafka.log'), cwd: dir };
  const classpathFile = join(dir, 'classpath.txt');
  const pomHashFile = join(dir, 'classpath.pom.sha256');

  const pomHash = () => createHash('sha256').update(readFileSync(POM)).digest('hex');
  const classpathIsCurrent = () =>
    existsSync(classpathFile) &&
    existsSync(pomHashFile) &&
    readFileSync(pomHashFile, 'utf8') === pomHash() &&
    readFileSync(classpathFile, 'utf8')
      .split(':')
      .every((jar) => existsSync(jar));

  const java = (mainClass: string, args: string[]) => [
    '-Xms256m',
    '-Xmx768m',
    '-XX:+UseG1GC',
    `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`,
    '-cp',
    readFileSync(classpathFile, 'utf8').trim(),
    mainClass,
    ...args,
  ];

  return {
    name: 'kafka',
    address: brokers.join(','),
    external,
    envVariable: 'KAFKA_BROKERS',
    ports: [port, port + 1],
    process: proc,
    startTimeoutSeconds: 90,
    async install(progress) {
      for (const tool of ['java', 'mvn']) {
        if (!which(tool))
          throw new InfraError(
            'INSTALL_FAILED',
            `${tool} is not on PATH: Kafka runs on the machine's Java and comes from Maven Central`,
          );
      }
      mkdirSync(dir, { recursive: true });
      if (!classpathIsCurrent()) {
        progress('resolving Kafka jars from Maven Central (first run only)');
        try {
          await run('mvn', [
            '-q',
            '-B',
            '-f',
            POM,
            'dependency:build-classpath',
            `-Dmdep.outputFile=${classpathFile}`,
          ]);
        } catch (error) {
          throw new InfraError(
            'INSTALL_FAILED',
            `Maven could not resolve Kafka: ${(error as Error).message}`,
          );
        }
        writeFileSync(pomHashFile, pomHash());
      }
      writeFileSync(join(dir, 'server.properties'), serverProperties(dir, port));
      writeFileSync(join(dir, 'log4j.properties'), LOG4J);
      if (!existsSync(join(dir, 'data', 'meta.properties'))) {
        progress('formatting Kafka storage (first run only)');
        const clusterId = randomBytes(16).toString('base64url');
        await run(
          'java',
          java('kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', join(dir, 'server.properties')]),
        );
      }
    },
    spawn() {
      start(proc, 'java', java('kafka.Kafka', [join(dir, 'server.properties')]));
    },
    probe: () => probeKafka(brokers),
  };
}
