import Joi from 'joi';
import { parseConfig } from './config.js';
import { type KafkaSecurity, kafkaSecurityFromEnv } from './kafka-security.js';

/** Where the servers are. The local launcher uses these loopback ports; the environment overrides them. */
export interface Endpoints {
  kafkaBrokers: string[];
  mongoUrl: string;
  redisUrl: string;
  /** TLS and SASL for Kafka (KAFKA_SSL*, KAFKA_SASL_*): `kafkaSecurityFromEnv`. */
  kafkaSecurity: KafkaSecurity;
  /** Which of the three came from the environment (external servers the launcher must not start). */
  external: { kafka: boolean; mongo: boolean; redis: boolean };
}

export const LOCAL_ENDPOINTS = {
  kafkaBrokers: ['127.0.0.1:19092'],
  mongoUrl: 'mongodb://127.0.0.1:27018/chat',
  redisUrl: 'redis://127.0.0.1:6380',
} as const;

const hostPort = Joi.string().pattern(/^[^\s:,]+:\d{1,5}$/, 'host:port');

const schema = Joi.object({
  KAFKA_BROKERS: Joi.string()
    .custom((value: string, helpers) => {
      const brokers = value
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean);
      for (const broker of brokers) {
        if (hostPort.validate(broker).error)
          return helpers.message({ custom: `KAFKA_BROKERS entry "${broker}" is not host:port` });
      }
      return brokers;
    })
    .optional(),
  MONGODB_URL: Joi.string()
    .uri({ scheme: ['mongodb', 'mongodb+srv'] })
    .optional(),
  REDIS_URL: Joi.string()
    .uri({ scheme: ['redis', 'rediss'] })
    .optional(),
});

/** The variables `endpointsFromEnv` reads itself (Kafka security: `KAFKA_SECURITY_ENV_NAMES`). */
export const ENDPOINT_ENV_NAMES: readonly string[] = Object.keys(schema.describe().keys ?? {});

export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): Endpoints {
  const parsed = parseConfig<{ KAFKA_BROKERS?: string[]; MONGODB_URL?: string; REDIS_URL?: string }>(schema, {
    KAFKA_BROKERS: env.KAFKA_BROKERS || undefined,
    MONGODB_URL: env.MONGODB_URL || undefined,
    REDIS_URL: env.REDIS_URL || undefined,
  });
  return {
    kafkaBrokers: parsed.KAFKA_BROKERS ?? [...LOCAL_ENDPOINTS.kafkaBrokers],
    mongoUrl: parsed.MONGODB_URL ?? LOCAL_ENDPOINTS.mongoUrl,
    redisUrl: parsed.REDIS_URL ?? LOCAL_ENDPOINTS.redisUrl,
    kafkaSecurity: kafkaSecurityFromEnv(env),
    external: {
      kafka: parsed.KAFKA_BROKERS !== undefined,
      mongo: parsed.MONGODB_URL !== undefined,
      redis: parsed.REDIS_URL !== undefined,
    },
  };
}

/** The environment that points a child process at `endpoints` (what `endpointsFromEnv` reads back). */
export function endpointsEnv(
  endpoints: Pick<Endpoints, 'kafkaBrokers' | 'mongoUrl' | 'redisUrl'>,
): Record<string, string> {
  return {
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    MONGODB_URL: endpoints.mongoUrl,
    REDIS_URL: endpoints.redisUrl,
  };
}
