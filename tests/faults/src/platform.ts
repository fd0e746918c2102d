import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@chat/infra/private-servers';
import { startPlatform } from '@chat/infra/platform';
import type { ToxiproxyClient } from '@chat/infra/toxiproxy';
import { CHAT_ENV } from '@chat/service-env';

/** The Toxiproxy proxy that stands in for a load balancer in front of the gateways. */
const GATEWAY_BALANCER = 'gateway-balancer';

export type ServiceName = 'chat-1' | 'chat-2' | 'room' | 'persistence';

export interface PlatformServers {
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  toxiproxy: ToxiproxyClient;
  /** The services' LOG_LEVEL. @defaultValue warn */
  logLevel?: string;
  /** The gateways' CHAT_DELIVERY_MODE. @defaultValue fan-out */
  deliveryMode?: 'fan-out' | 'room-feeds';
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

export async function startFaultPlatform(servers: PlatformServers): Promise<FaultPlatform> {
  const logDir = join(tmpdir(), `fault-platform-${process.pid}-${Date.now()}`);
  const platform = await startPlatform({
    endpoints: { kafkaBrokers: servers.brokers, mongoUrl: servers.mongoUrl, redisUrl: servers.redisUrl },
    logDir,
    logLevel: servers.logLevel ?? 'warn',
    services: {
      // Load, not abuse: the generator's users send faster than a person.
      chat: {
        replicas: 2,
        env: {
          [CHAT_ENV.rateLimitPoints.name]: '1000',
          [CHAT_ENV.deliveryMode.name]: servers.deliveryMode ?? 'fan-out',
        },
      },
      room: {},
      persistence: {},
    },
  });
  const balancerPort = await freePort();
  const upstream = (name: 'chat-1' | 'chat-2') => `127.0.0.1:${platform.get(name).port}`;
  try {
    await servers.toxiproxy.createProxy(GATEWAY_BALANCER, `127.0.0.1:${balancerPort}`, upstream('chat-1'));
    await platform.ready();
  } catch (error) {
    await platform.stop();
    throw error;
  }
  return {
    gatewayUrls: [`http://127.0.0.1:${balancerPort}`, platform.get('chat-2').url],
    roomApiUrl: platform.get('room').url,
    mongoUrl: servers.mongoUrl,
    logDir,
    kill: (name) => platform.get(name).kill(),
    terminate: (name) => platform.get(name).stop(),
    restart: (name) => platform.get(name).restart(),
    balanceTo: (name) => servers.toxiproxy.setUpstream(GATEWAY_BALANCER, upstream(name)),
    untilReady: (timeoutMs) => platform.ready(timeoutMs / 1000),
    stop: () => platform.stop(),
  };
}
