import { launchPlatform, type Platform as Launched } from '@chat/infra/platform';
import { ROOM_ENV } from '@chat/service-env';
import { uniqueName } from '@chat/testkit';

/**
 * The room service's periodic scans, spaced out. On FerretDB each reads
 * every room or saga (about a millisecond a room), and the rooms of every
 * run accumulate in the platform's database: at the default ticks, after
 * three runs of 200 rooms, the idle scans took most of a core from the
 * gateway measured beside them. Room writes are still dispatched at once
 * (the writer claims its rooms by id); only orphans and retries wait longer.
 */
const ROOM_SCANS_SPACED_OUT = {
  [ROOM_ENV.dispatchTickMs.name]: '30000',
  [ROOM_ENV.sagaRecoveryIntervalMs.name]: '30000',
};

export interface PlatformOptions {
  /** Gateway instances. @defaultValue 1 */
  gateways?: number;
  /** Extra environment of every gateway (e.g. CHAT_RATE_LIMIT_POINTS). @defaultValue none */
  gatewayEnv?: Record<string, string>;
  /** Node flags of every gateway process (e.g. `--cpu-prof`). @defaultValue none */
  gatewayNodeArgs?: string[];
  /**
   * Run the persistence worker. The ingress benchmark leaves it out: acks never wait for it,
   * and on a small machine its database writes would take the CPU the gateway is measured on.
   * @defaultValue true
   */
  persistence?: boolean;
  /** Where the services' logs go. */
  logDir: string;
}

/** The platform on its own topics, consumer groups, database and Redis keys, so it shares nothing with anyone. */
export interface Platform {
  gatewayUrls: string[];
  roomApiUrl: string;
  /** The run's database, as the persistence worker writes it. */
  mongoUrl: string;
  /** The launcher's handles, per instance and for all. */
  launched: Launched;
  /** Stops the services and removes the run's topics and database. */
  stop(): Promise<void>;
}

/** Gateway(s), room service and persistence worker through `@chat/infra/platform`, in a namespace of their own, on free ports. */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const launched = await launchPlatform({
    namespace: uniqueName('lg'),
    logDir: options.logDir,
    logLevel: 'warn',
    services: {
      chat: { replicas: options.gateways ?? 1, env: options.gatewayEnv, nodeArgs: options.gatewayNodeArgs },
      room: { env: ROOM_SCANS_SPACED_OUT },
      ...((options.persistence ?? true) ? { persistence: {} } : {}),
    },
  });
  return {
    gatewayUrls: launched.urlsOf('chat'),
    roomApiUrl: launched.urlsOf('room')[0]!,
    mongoUrl: launched.mongoUrl,
    launched,
    stop: () => launched.dispose(),
  };
}
