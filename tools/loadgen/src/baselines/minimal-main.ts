import Joi from 'joi';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { ConfigError, createLogger, endpointsFromEnv, parseConfig } from '@chat/runtime';
import { startMinimalGateway } from './minimal-gateway.js';

const logger = createLogger('minimal-gateway');

try {
  const config = parseConfig<{ PORT: number; MINIMAL_TOPIC: string; MINIMAL_NAMESPACE: string }>(
    Joi.object({
      PORT: Joi.number().port().required(),
      MINIMAL_TOPIC: Joi.string().required(),
      MINIMAL_NAMESPACE: Joi.string().required(),
    }),
    { ...process.env },
  );
  const endpoints = endpointsFromEnv();
  const redis = new Redis(endpoints.redisUrl);
  const kafka = new Kafka({
    clientId: 'minimal-gateway',
    brokers: endpoints.kafkaBrokers,
    logLevel: logLevel.WARN,
  });
  const gateway = await startMinimalGateway({
    kafka,
    redis,
    topic: config.MINIMAL_TOPIC,
    namespace: config.MINIMAL_NAMESPACE,
  });
  gateway.http.listen(config.PORT, '127.0.0.1', () =>
    logger.info({ port: config.PORT }, 'minimal gateway listening'),
  );
  process.once('SIGTERM', () => {
    gateway.http.close();
    void gateway
      .stop()
      .then(() => redis.quit())
      .then(() => process.exit(0));
  });
} catch (error) {
  if (error instanceof ConfigError) logger.fatal({ problems: error.problems }, 'invalid configuration');
  else logger.fatal({ err: error }, 'minimal gateway failed to start');
  process.exit(1);
}
