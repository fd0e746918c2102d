import { type KafkaSecurity, kafkaSecurityFromEnv } from '@chat/runtime';
import { Kafka, logLevel, type RetryOptions } from 'kafkajs';
import type { Logger } from 'pino';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** KafkaJS logs what the pino logger lets through, so LOG_LEVEL=debug shows every request and response. */
const kafkaLevelOf = (logger: Logger): logLevel =>
  (
    [
      ['debug', logLevel.DEBUG],
      ['info', logLevel.INFO],
      ['warn', logLevel.WARN],
    ] as const
  ).find(([level]) => logger.isLevelEnabled(level))?.[1] ?? logLevel.ERROR;

/**
 * For clients that host consumers: about a minute of reconnecting (0.3 s
 * doubling to 5 s, 16 times) before KafkaJS gives up. A consumer that gives
 * up crashes and restarts as a new member, and the group then waits out the
 * old member's session before anyone consumes; riding a broker restart out
 * keeps the member, so it resumes as soon as the broker is back. Written out
 * because KafkaJS's defaults change under NODE_ENV=test, and tests must see
 * what production does. Producers that fail over fast keep the defaults.
 */
export const CONSUMER_CLIENT_RETRY: RetryOptions = {
  initialRetryTime: 300,
  multiplier: 2,
  factor: 0.2,
  maxRetryTime: 5_000,
  retries: 16,
};

/**
 * The one place a KafkaJS client is made: its logs go to pino at the logger's
 * level, and TLS and SASL come from `security`, by default the process's
 * KAFKA_SSL* and KAFKA_SASL_* settings (checked at start-up by endpointsFromEnv).
 */
export function createKafka(options: {
  brokers: string[];
  clientId: string;
  logger: Logger;
  security?: KafkaSecurity;
  retry?: RetryOptions;
}): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  const { ssl, sasl } = options.security ?? kafkaSecurityFromEnv();
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...(ssl ? { ssl } : {}),
    ...(sasl ? { sasl } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    logLevel: kafkaLevelOf(log),
    logCreator:
      () =>
      ({ level, log: entry }) => {
        const { message, ...fields } = entry;
        log[LEVELS[level] ?? 'info'](fields, message);
      },
  });
}
