import {
  freePort,
  startPrivateKafka,
  startPrivateMongo,
  startPrivateRedis,
  type PrivateServer,
} from '@chat/infra/private-servers';
import { startToxiproxy, type PrivateToxiproxy } from '@chat/infra/toxiproxy';

/** The Toxiproxy proxy every Kafka client of the platform connects through. */
export const KAFKA_PROXY = 'kafka';

/**
 * The servers one fault run owns: a private Kafka whose advertised address is
 * a Toxiproxy port (so network faults reach every Kafka client), a private
 * MongoDB-wire server and a private Redis. Nothing is shared with anyone, so
 * each may be killed, and the services use their default names.
 */
export interface FaultServers {
  kafka: PrivateServer;
  mongo: PrivateServer;
  redis: PrivateServer;
  toxiproxy: PrivateToxiproxy;
  /** The broker's own address, past the proxy: for producing poison without going through a toxic. */
  directBrokers: string[];
  dispose(): Promise<void>;
}

export async function startFaultServers(): Promise<FaultServers> {
  const toxiproxy = await startToxiproxy();
  const [kafkaPort, proxyPort] = [await freePort(), await freePort()];
  await toxiproxy.client.createProxy(KAFKA_PROXY, `127.0.0.1:${proxyPort}`, `127.0.0.1:${kafkaPort}`);
  const [kafka, mongo, redis] = await Promise.all([
    startPrivateKafka({ port: kafkaPort, advertisedPort: proxyPort }),
    startPrivateMongo(),
    startPrivateRedis(),
  ]);
  return {
    kafka,
    mongo,
    redis,
    toxiproxy,
    directBrokers: [`127.0.0.1:${kafkaPort}`],
    async dispose() {
      await Promise.allSettled([kafka.dispose(), mongo.dispose(), redis.dispose()]);
      await toxiproxy.stop();
    },
  };
}
