import { endpointsFromEnv } from '@chat/runtime';
import { pino, type Logger } from 'pino';
import type { Io } from './io.js';

/** Options every command accepts (commander's global options), resolved once per run. */
export interface GlobalOptions {
  brokers?: string;
  mongoUrl?: string;
  redisUrl?: string;
  json?: boolean;
  verbose?: boolean;
}

export interface Context {
  io: Io;
  json: boolean;
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  /** Client libraries' logs: silent unless --verbose, and then on stderr so stdout stays parseable. */
  logger: Logger;
}

/** Flags win over the environment (KAFKA_BROKERS, MONGODB_URL, REDIS_URL), which wins over the local defaults. */
export function contextOf(io: Io, options: GlobalOptions, env: NodeJS.ProcessEnv): Context {
  const endpoints = endpointsFromEnv({
    ...env,
    ...(options.brokers ? { KAFKA_BROKERS: options.brokers } : {}),
    ...(options.mongoUrl ? { MONGODB_URL: options.mongoUrl } : {}),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
  });
  return {
    io,
    json: options.json ?? false,
    brokers: endpoints.kafkaBrokers,
    mongoUrl: endpoints.mongoUrl,
    redisUrl: endpoints.redisUrl,
    logger: pino({ level: options.verbose ? 'debug' : 'silent' }, pino.destination(2)),
  };
}
