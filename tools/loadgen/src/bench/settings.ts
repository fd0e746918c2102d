import { loadavg } from 'node:os';
import Joi from 'joi';
import { parseConfig } from '@chat/runtime';
import { CHAT_ENV } from '@chat/service-env';

/** What a benchmark runs, from BENCH_* variables with defaults; one ConfigError lists every problem. */
export interface BenchSettings {
  /** Offered messages per second (BENCH_RATE). */
  rate: number;
  /** Seconds of offered load, warm-up included (BENCH_DURATION_S). */
  durationSeconds: number;
  /** Seconds left out of rates and latencies (BENCH_WARM_UP_S). */
  warmUpSeconds: number;
  /** BENCH_USERS, BENCH_ROOMS, BENCH_MEMBERS, BENCH_MESSAGE_BYTES */
  users: number;
  rooms: number;
  members: number;
  messageBytes: number;
  /** Gateway instances the load is spread over (BENCH_GATEWAYS). @defaultValue 1 */
  gateways: number;
  /** Folder for a CPU profile of the gateway (`node --cpu-prof`); empty: no profile (BENCH_CPU_PROF_DIR). */
  cpuProfileDir: string;
  /** The gateways' CHAT_DELIVERY_MODE (BENCH_DELIVERY_MODE). @defaultValue fan-out */
  delivery: 'fan-out' | 'room-feeds';
}

const count = (fallback: number) => Joi.number().integer().min(1).default(fallback);

export function benchSettings(
  defaults: Omit<BenchSettings, 'cpuProfileDir' | 'gateways' | 'delivery'>,
  env: NodeJS.ProcessEnv = process.env,
): BenchSettings {
  const raw = parseConfig<Record<string, number | string>>(
    Joi.object({
      BENCH_RATE: count(defaults.rate),
      BENCH_DURATION_S: count(defaults.durationSeconds),
      BENCH_WARM_UP_S: Joi.number().integer().min(0).default(defaults.warmUpSeconds),
      BENCH_USERS: count(defaults.users),
      BENCH_ROOMS: count(defaults.rooms),
      BENCH_MEMBERS: count(defaults.members),
      BENCH_MESSAGE_BYTES: count(defaults.messageBytes),
      BENCH_GATEWAYS: count(1),
      BENCH_CPU_PROF_DIR: Joi.string().allow('').default(''),
      BENCH_DELIVERY_MODE: Joi.string().valid('fan-out', 'room-feeds').default('fan-out'),
    }),
    { ...env },
  );
  return {
    rate: raw.BENCH_RATE as number,
    durationSeconds: raw.BENCH_DURATION_S as number,
    warmUpSeconds: raw.BENCH_WARM_UP_S as number,
    users: raw.BENCH_USERS as number,
    rooms: raw.BENCH_ROOMS as number,
    members: raw.BENCH_MEMBERS as number,
    messageBytes: raw.BENCH_MESSAGE_BYTES as number,
    gateways: raw.BENCH_GATEWAYS as number,
    cpuProfileDir: raw.BENCH_CPU_PROF_DIR as string,
    delivery: raw.BENCH_DELIVERY_MODE as BenchSettings['delivery'],
  };
}

/** The 1-, 5- and 15-minute load averages, to print beside every figure (the machine is shared). */
export const loadAverage = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

export const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');

/** The load a benchmark's settings describe, for `runLoad`, at `rate` (BENCH_RATE unless told). */
export const loadOf = (settings: BenchSettings, rate = settings.rate) => ({
  users: settings.users,
  rooms: settings.rooms,
  membersPerRoom: settings.members,
  ratePerSecond: rate,
  durationMs: settings.durationSeconds * 1000,
  warmUpMs: settings.warmUpSeconds * 1000,
  messageBytes: settings.messageBytes,
});

/**
 * The per-user rate limit and the per-address connection cap are policies,
 * not capacities: raised so that a hundred sockets can offer thousands of
 * messages per second between them, and BENCH_USERS sockets from this one
 * host are all admitted.
 */
export const benchGatewayEnv = (settings: Pick<BenchSettings, 'delivery'>): Record<string, string> => ({
  [CHAT_ENV.rateLimitPoints.name]: '500',
  [CHAT_ENV.maxConnectionsPerAddress.name]: '100000',
  [CHAT_ENV.deliveryMode.name]: settings.delivery,
});
