import { type KafkaSecurity, kafkaSecurityFromEnv } from '@chat/runtime';
import { Kafka, logLevel } from 'kafkajs';
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
 * The one place a KafkaJS client is made: its logs go to pino at the logger's
 * level, and TLS and SASL come from `security`, by default the process's
 * KAFKA_SSL* and KAFKA_SASL_* settings (checked at start-up by endpointsFromEnv).
 */
export function createKafka(options: {
  brokers: string[];
  clientId: string;
  logger: Logger;
  security?: KafkaSecurity;
}): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  const { ssl, sasl } = options.security ?? kafkaSecurityFromEnv();
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...(ssl ? { ssl } : {}),
    ...(sasl ? { sasl } : {}),
    logLevel: kafkaLevelOf(log),
    logCreator:
      () =>
      ({ level, log: entry }) => {
        const { message, ...fields } = entry;
        log[LEVELS[level] ?? 'info'](fields, message);
      },
  });
}
