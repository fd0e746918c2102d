import Joi from 'joi';
import { MAX_MESSAGE_TEXT_LENGTH } from '@chat/contracts';
import { parseConfig } from '@chat/runtime';
import type { LoadProgress } from '../report/report.js';

/** What one load run does. Every field is validated once by `resolveLoadOptions`. */
export interface LoadOptions {
  /** Gateway base URLs; users are spread over them round-robin. */
  gatewayUrls: string[];
  /** Room service base URL (`POST /v1/rooms`). */
  roomApiUrl: string;
  /** MongoDB URL with the database the persistence worker writes; omitted: the persisted check is skipped. @defaultValue none */
  mongoUrl?: string;
  /** Virtual users, one socket each. */
  users: number;
  rooms: number;
  /** Members of each room (the creator included); at most `users`. */
  membersPerRoom: number;
  /** Offered load, messages per second (open model: sends follow the schedule, not the acks). */
  ratePerSecond: number;
  /** How long messages are offered. */
  durationMs: number;
  /** Text length of each message, in characters. */
  messageBytes: number;
  /** After the last send, how long to wait for acks, deliveries and persistence before counting what is missing. @defaultValue 30000 */
  settleTimeoutMs?: number;
  /** First part of the run left out of the rates and latencies (still in the zero-loss account). @defaultValue 0 */
  warmUpMs?: number;
  /** A send without an ack after this long is retried with the same clientMessageId. @defaultValue 5000 */
  ackTimeoutMs?: number;
  /**
   * Every this-many-th message is edited by its sender once it is back, and
   * every second one of those then deleted; the change account checks them.
   * 0: plain sends only. @defaultValue 0
   */
  changeEvery?: number;
  /** Each room's members all on one gateway (a scale-out run); else rooms span gateways. @defaultValue false */
  roomsOnOneGateway?: boolean;
  /** Called about twice a second. @defaultValue none */
  onProgress?: (progress: LoadProgress) => void;
  /** Stops offering load; the run settles and reports. @defaultValue none */
  signal?: AbortSignal;
}

export type ResolvedLoadOptions = Required<Omit<LoadOptions, 'mongoUrl' | 'onProgress' | 'signal'>> &
  Pick<LoadOptions, 'mongoUrl' | 'onProgress' | 'signal'>;

export const LOAD_DEFAULTS = {
  settleTimeoutMs: 30_000,
  warmUpMs: 0,
  ackTimeoutMs: 5_000,
  changeEvery: 0,
  roomsOnOneGateway: false,
} as const;

const url = () => Joi.string().uri({ scheme: ['http', 'https'] });
const count = () => Joi.number().integer().min(1);

const schema = Joi.object({
  gatewayUrls: Joi.array().items(url()).min(1).required(),
  roomApiUrl: url().required(),
  mongoUrl: Joi.string().uri({ scheme: ['mongodb', 'mongodb+srv'] }),
  users: count().required(),
  rooms: count().required(),
  membersPerRoom: count().max(Joi.ref('users')).required(),
  ratePerSecond: Joi.number().positive().required(),
  durationMs: count().required(),
  messageBytes: count().max(MAX_MESSAGE_TEXT_LENGTH).required(),
  settleTimeoutMs: Joi.number().integer().min(0).default(LOAD_DEFAULTS.settleTimeoutMs),
  warmUpMs: Joi.number().integer().min(0).less(Joi.ref('durationMs')).default(LOAD_DEFAULTS.warmUpMs),
  ackTimeoutMs: count().default(LOAD_DEFAULTS.ackTimeoutMs),
  changeEvery: Joi.number().integer().min(0).default(LOAD_DEFAULTS.changeEvery),
  roomsOnOneGateway: Joi.boolean().default(LOAD_DEFAULTS.roomsOnOneGateway),
  onProgress: Joi.function(),
  signal: Joi.object(),
});

/** Defaults filled in; throws `ConfigError` listing every problem. */
export function resolveLoadOptions(options: LoadOptions): ResolvedLoadOptions {
  return parseConfig(schema, { ...options }) as ResolvedLoadOptions;
}
