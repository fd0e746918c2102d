import { endpointsFromEnv } from '@chat/runtime';
import { kafkaKit } from '@chat/testkit/kafka';
import { pino } from 'pino';
import { ensureTopics } from '../../src/kafka/topics.js';

export const endpoints = endpointsFromEnv();
/** Set TEST_LOG_LEVEL=debug to see the listeners' logs. */
export const testLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export const { kafka, createTopic, produce, readTopic, committedOffsets } = kafkaKit({
  brokers: endpoints.kafkaBrokers,
  clientId: 'base-listener-tests',
  ensureTopics,
});
