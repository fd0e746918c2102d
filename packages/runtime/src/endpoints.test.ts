import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.js';
import { LOCAL_ENDPOINTS, endpointsFromEnv } from './endpoints.js';

describe('endpointsFromEnv', () => {
  it('defaults to the local launcher loopback servers', () => {
    const endpoints = endpointsFromEnv({});
    expect(endpoints.kafkaBrokers).toEqual(LOCAL_ENDPOINTS.kafkaBrokers);
    expect(endpoints.external).toEqual({ kafka: false, mongo: false, redis: false });
  });

  it('takes external servers from the environment', () => {
    const endpoints = endpointsFromEnv({
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      MONGODB_URL: 'mongodb://db:27017/chat',
      REDIS_URL: 'redis://cache:6379',
    });
    expect(endpoints.kafkaBrokers).toEqual(['k1:9092', 'k2:9092']);
    expect(endpoints.mongoUrl).toBe('mongodb://db:27017/chat');
    expect(endpoints.external).toEqual({ kafka: true, mongo: true, redis: true });
  });

  it('names every bad variable in one clear error', () => {
    expect(() => endpointsFromEnv({ KAFKA_BROKERS: 'nohost', REDIS_URL: 'http://x' })).toThrowError(
      ConfigError,
    );
    try {
      endpointsFromEnv({ KAFKA_BROKERS: 'nohost', REDIS_URL: 'http://x' });
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
      expect((error as ConfigError).message).toMatch(/KAFKA_BROKERS entry "nohost"/);
      expect((error as ConfigError).message).toMatch(/REDIS_URL/);
    }
  });
});
