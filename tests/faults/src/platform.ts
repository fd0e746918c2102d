import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { ensureTopics } from '@chat/base-listener';
import { PLATFORM_TOPICS } from '@chat/contracts';
import { freePort } from '@chat/infra/private-servers';
import {
  PLATFORM_SERVICES,
  startService,
  stopAll,
  waitUntilReady,
  type RunningService,
  type ServiceSpec,
} from '@chat/infra/platform';
import type { ToxiproxyClient } from '@chat/infra/toxiproxy';
import { OPS_PATHS } from '@chat/runtime';

/** The Toxiproxy proxy that stands in for a load balancer in front of the gateways. */
const GATEWAY_BALANCER = 'gateway-balancer';
const READY_POLL_MS = 100;

export type ServiceName = 'chat-1' | 'chat-2' | 'room' | 'persistence';

export interface PlatformServers {
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  toxiproxy: ToxiproxyClient;
  /** The services' LOG_LEVEL. @defaultValue warn */
  logLevel?: string;
}

/**
 * Every service as its own child process (so kill -9 is real), on the run's
 * servers: two gateways, the room service and the persistence worker. Half
 * the clients reach the gateways through a balancer (a Toxiproxy proxy) that
 * a scenario can point at the other instance, as a load balancer would.
 */
export interface FaultPlatform {
  /** The balancer first (chat-1 behind it), then chat-2 directly. */
  gatewayUrls: string[];
  roomApiUrl: string;
  mongoUrl: string;
  /** Where each service's output goes (`<name>.log`), kept after the run. */
  logDir: string;
  kill(name: ServiceName): Promise<void>;
  /** SIGTERM: the service drains and tells its clients to reconnect elsewhere. */
  terminate(name: ServiceName): Promise<void>;
  /** Starts a stopped service again, same port and settings. */
  restart(name: ServiceName): Promise<void>;
  /** Points the balancer at one gateway; its open connections are closed and reconnect there. */
  balanceTo(name: 'chat-1' | 'chat-2'): Promise<void>;
  /** Resolves once every service answers /readyz with 200. */
  untilReady(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

const dirOf = (name: string) => {
  const spec = PLATFORM_SERVICES.find((service) => service.name === name);
  if (!spec) throw new RangeError(`no platform service named ${name}`);
  return spec.dir;
};

async function specs(servers: PlatformServers): Promise<Record<ServiceName, ServiceSpec>> {
  const shared = {
    KAFKA_BROKERS: servers.brokers.join(','),
    MONGODB_URL: servers.mongoUrl,
    REDIS_URL: servers.redisUrl,
    AUTH_DEV_SIGNIN: 'true',
    HOST: '127.0.0.1',
    LOG_LEVEL: servers.logLevel ?? 'warn',
  };
  const gateway = async (index: number): Promise<ServiceSpec> => {
    const port = await freePort();
    return {
      name: `chat-${index}`,
      dir: dirOf('chat'),
      port,
      env: {
        ...shared,
        PORT: String(port),
        CHAT_INSTANCE_ID: `fault-gw${index}`,
        // Load, not abuse: the generator's users send faster than a person.
        CHAT_RATE_LIMIT_POINTS: '1000',
      },
    };
  };
  const roomPort = await freePort();
  const persistencePort = await freePort();
  return {
    'chat-1': await gateway(1),
    'chat-2': await gateway(2),
    room: { name: 'room', dir: dirOf('room'), port: roomPort, env: { ...shared, PORT: String(roomPort) } },
    persistence: {
      name: 'persistence',
      dir: dirOf('persistence'),
      port: persistencePort,
      env: { ...shared, PERSISTENCE_HTTP_PORT: String(persistencePort) },
    },
  };
}

const ready = async (port: number) =>
  fetch(`http://127.0.0.1:${port}${OPS_PATHS.readiness}`, { signal: AbortSignal.timeout(1000) }).then(
    (response) => response.status === 200,
    () => false,
  );

async function createTopics(brokers: string[]): Promise<void> {
  const admin = new Kafka({ clientId: 'fault-platform', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await ensureTopics(admin, PLATFORM_TOPICS);
  } finally {
    await admin.disconnect();
  }
}

export async function startFaultPlatform(servers: PlatformServers): Promise<FaultPlatform> {
  await createTopics(servers.brokers);
  const byName = await specs(servers);
  const logDir = join(tmpdir(), `fault-platform-${process.pid}-${Date.now()}`);
  const running = new Map<ServiceName, RunningService>();
  const launch = (name: ServiceName) => running.set(name, startService(byName[name], logDir));
  const exited = (name: ServiceName) =>
    new Promise<void>((resolve) => {
      const child = running.get(name)?.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  const balancerPort = await freePort();
  const upstream = (name: 'chat-1' | 'chat-2') => `127.0.0.1:${byName[name].port}`;
  await servers.toxiproxy.createProxy(GATEWAY_BALANCER, `127.0.0.1:${balancerPort}`, upstream('chat-1'));

  for (const name of Object.keys(byName) as ServiceName[]) launch(name);
  const platform: FaultPlatform = {
    gatewayUrls: [`http://127.0.0.1:${balancerPort}`, `http://127.0.0.1:${byName['chat-2'].port}`],
    roomApiUrl: `http://127.0.0.1:${byName.room.port}`,
    mongoUrl: servers.mongoUrl,
    logDir,
    async kill(name) {
      const gone = exited(name);
      running.get(name)?.child.kill('SIGKILL');
      await gone;
    },
    async terminate(name) {
      const gone = exited(name);
      running.get(name)?.child.kill('SIGTERM');
      await gone;
    },
    async restart(name) {
      launch(name);
      await waitUntilReady(running.get(name)!);
    },
    balanceTo: (name) => servers.toxiproxy.setUpstream(GATEWAY_BALANCER, upstream(name)),
    async untilReady(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!(await Promise.all(Object.values(byName).map(({ port }) => ready(port)))).every(Boolean)) {
        if (Date.now() > deadline) throw new Error(`the platform was not ready again within ${timeoutMs} ms`);
        await sleep(READY_POLL_MS);
      }
    },
    stop: () => stopAll([...running.values()]),
  };
  try {
    await Promise.all([...running.values()].map((service) => waitUntilReady(service)));
  } catch (error) {
    await platform.stop();
    throw error;
  }
  return platform;
}
